// Public entry point of @pullpush/canonical.
