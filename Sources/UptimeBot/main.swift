print("uptime-bot")
