// Placeholder: Bot module.
