// Public entry point of @pullpush/testkit.
