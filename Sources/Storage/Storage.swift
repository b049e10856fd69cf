// Placeholder: Storage module.
