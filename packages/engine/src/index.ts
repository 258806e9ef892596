// Public entry point of @pullpush/engine.
