// Public entry point of @pullpush/sync.
