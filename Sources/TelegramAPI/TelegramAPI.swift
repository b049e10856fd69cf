// Placeholder: TelegramAPI module.
