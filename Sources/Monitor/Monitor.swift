// Placeholder: Monitor module.
