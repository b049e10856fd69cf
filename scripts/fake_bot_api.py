#!/usr/bin/env python3
"""A tiny fake Telegram Bot API for the Docker test (scripts/docker-test.sh).

Speaks the real method names and JSON shapes (https://core.telegram.org/bots/api) at
/bot<token>/<method>: getMe, getUpdates (long polling with offset/timeout), sendMessage (recorded),
setMyCommands, deleteWebhook, …; any other method answers {"ok": true, "result": true}.
One /start message from a scripted user is queued at start-up.

Control endpoints for the test (not part of the Bot API):
  GET  /__fake/sent            → recorded sendMessage calls, JSON list
  GET  /__fake/calls           → method name → number of calls
  POST /__fake/start?user=ID   → queue another /start from that user (default 424242)
  POST /__fake/message?user=ID&text=T   → queue a text message (a leading /command gets its entity)
  POST /__fake/contact?user=ID&phone=P  → queue the user sharing their own contact (sign-in)
  POST /__fake/press?user=ID&data=D     → queue a press of an inline button with callback data D
                                          on the last message sent to that chat

Update ids keep increasing across restarts, as Telegram's do (a bot rightly drops an id it has
handled): the last id is kept in --state FILE when given, and a fresh start never goes below the
current Unix time, so a recreated container without the file still continues above its predecessor.

Usage: fake_bot_api.py --port 8081 --token TOKEN [--host 0.0.0.0] [--state FILE]
"""
import argparse
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_USER = {"id": 1000001, "is_bot": True, "first_name": "UptimeBot Test", "username": "uptimebot_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class FakeTelegram:
    def __init__(self, state_file=None):
        self.lock = threading.Condition()
        self.updates = []
        self.state_file = state_file
        self.next_update_id = max(self.read_last_update_id() + 1, int(time.time()))
        self.next_message_id = 1
        self.sent = []
        self.calls = {}

    def read_last_update_id(self):
        if not self.state_file:
            return 0
        try:
            with open(self.state_file) as f:
                return int(f.read().strip() or 0)
        except FileNotFoundError:
            return 0

    def write_last_update_id(self, update_id):
        if not self.state_file:
            return
        partial = self.state_file + ".partial"
        with open(partial, "w") as f:
            f.write(f"{update_id}\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, self.state_file)

    @staticmethod
    def user(user_id):
        return {"id": user_id, "is_bot": False, "first_name": "Test", "username": f"user{user_id}",
                "language_code": "ru"}

    def queue(self, make_update):
        """Appends make_update(update_id, message_id) and wakes the poller."""
        with self.lock:
            self.updates.append(make_update(self.next_update_id, self.next_message_id))
            self.write_last_update_id(self.next_update_id)
            self.next_update_id += 1
            self.next_message_id += 1
            self.lock.notify_all()

    def queue_message(self, user_id, **content):
        user = self.user(user_id)
        chat = {"id": user_id, "type": "private", "first_name": "Test", "username": f"user{user_id}"}
        text = content.get("text", "")
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self.queue(lambda update_id, message_id: {
            "update_id": update_id,
            "message": {"message_id": message_id, "from": user, "chat": chat, "date": int(time.time()), **content},
        })

    def queue_start(self, user_id):
        self.queue_message(user_id, text="/start")

    def queue_contact(self, user_id, phone):
        self.queue_message(user_id, contact={"phone_number": phone, "first_name": "Test", "user_id": user_id})

    def queue_press(self, user_id, data):
        with self.lock:
            last = next((m for m in reversed(self.sent) if str(m.get("chat_id")) == str(user_id)), None)
        if last is None:
            return False
        chat = {"id": user_id, "type": "private", "first_name": "Test", "username": f"user{user_id}"}
        message = {"message_id": last["message_id"], "from": BOT_USER, "chat": chat, "date": int(time.time()),
                   "text": last.get("text", "")}
        self.queue(lambda update_id, _: {
            "update_id": update_id,
            "callback_query": {"id": str(update_id), "from": self.user(user_id), "message": message,
                               "chat_instance": str(user_id), "data": data},
        })
        return True

    def get_updates(self, offset, timeout, limit):
        deadline = time.monotonic() + max(0.0, min(timeout, 50.0))
        with self.lock:
            if offset:
                # Confirmed updates are forgotten, as Telegram does.
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self.lock.wait(deadline - time.monotonic())
            return self.updates[:limit]

    def record(self, method, params):
        with self.lock:
            self.calls[method] = self.calls.get(method, 0) + 1
            if method == "sendMessage":
                message_id = self.next_message_id
                self.next_message_id += 1
                self.sent.append({**params, "message_id": message_id})
                return message_id
        return None


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeBotAPI/1.0"
    fake: FakeTelegram
    token: str

    def log_message(self, fmt, *args):  # one line per call, to stdout for `docker logs`
        print(f"fake-bot-api: {self.command} {self.path.split('?')[0].replace(self.token, '<token>')} {args[1] if len(args) > 1 else ''}", flush=True)

    def reply(self, status, payload):
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def params(self):
        url = urllib.parse.urlsplit(self.path)
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            raw = self.rfile.read(length)
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if ctype == "application/json":
                params.update(json.loads(raw or b"{}"))
            else:
                params.update({k: v[-1] for k, v in urllib.parse.parse_qs(raw.decode()).items()})
        return url.path, params

    def do_GET(self):
        self.handle_call()

    def do_POST(self):
        self.handle_call()

    def handle_call(self):
        path, params = self.params()
        if path == "/__fake/sent":
            with self.fake.lock:
                return self.reply(200, list(self.fake.sent))
        if path == "/__fake/calls":
            with self.fake.lock:
                return self.reply(200, dict(self.fake.calls))
        user_id = int(params.get("user", 424242))
        if path == "/__fake/start":
            self.fake.queue_start(user_id)
            return self.reply(200, {"ok": True})
        if path == "/__fake/message" and params.get("text"):
            self.fake.queue_message(user_id, text=params["text"])
            return self.reply(200, {"ok": True})
        if path == "/__fake/contact" and params.get("phone"):
            self.fake.queue_contact(user_id, params["phone"])
            return self.reply(200, {"ok": True})
        if path == "/__fake/press" and params.get("data"):
            if not self.fake.queue_press(user_id, params["data"]):
                return self.reply(409, {"ok": False, "description": "no message was sent to that chat yet"})
            return self.reply(200, {"ok": True})

        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = parts[0][3:], parts[1]
        if token != self.token:
            return self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})

        if method == "getMe":
            result = BOT_USER
        elif method == "getUpdates":
            result = self.fake.get_updates(int(params.get("offset") or 0), float(params.get("timeout") or 0),
                                           int(params.get("limit") or 100))
        elif method == "sendMessage":
            if "chat_id" not in params or "text" not in params:
                return self.reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"})
            result = {"message_id": None, "from": BOT_USER, "chat": {"id": int(params["chat_id"]), "type": "private"},
                      "date": int(time.time()), "text": params["text"]}
        else:
            result = True
        message_id = self.fake.record(method, params)
        if method == "sendMessage":
            result["message_id"] = message_id
        self.reply(200, {"ok": True, "result": result})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", required=True)
    parser.add_argument("--start-user", type=int, default=424242, help="user whose /start is queued at start-up (0: none)")
    parser.add_argument("--state", help="file keeping the last update id across restarts")
    args = parser.parse_args()

    fake = FakeTelegram(args.state)
    if args.start_user:
        fake.queue_start(args.start_user)
    Handler.fake = fake
    Handler.token = args.token
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    # PID 1 in its container: without a handler SIGTERM would be ignored and `docker stop` would wait.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"fake-bot-api: listening on {args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
