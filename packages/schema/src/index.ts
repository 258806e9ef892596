// Public entry point of @pullpush/schema.
