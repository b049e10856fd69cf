// Placeholder: Health module.
