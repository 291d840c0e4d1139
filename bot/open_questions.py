"""Guest questions the bot had no answer for, waiting in the staff inbox.

The bot does not go quiet for them (the guest may be halfway through a booking): the question
is kept beside the conversation, in Redis like the conversation itself, until a person
replies in the thread or hands it back. The inbox lists threads with open questions among
those waiting for a person, each with its questions.
"""

from __future__ import annotations

from redis import Redis
from redis.client import Pipeline

from bot.choices import Thread

#: Open questions are kept this long after the last one (a week: staff catch up on Monday).
QUESTIONS_TTL_SECONDS = 7 * 24 * 3600
#: The inbox shows this many of a thread's latest open questions.
MAX_OPEN_QUESTIONS = 5


def _key(conversation: str) -> str:
    return f"{conversation}:questions"


def leave_question(redis: Redis, conversation: str, text: str) -> None:
    """Put a question the bot could not answer in the inbox."""
    pipeline = redis.pipeline()
    pipeline.rpush(_key(conversation), text)
    pipeline.ltrim(_key(conversation), -MAX_OPEN_QUESTIONS, -1)
    pipeline.expire(_key(conversation), QUESTIONS_TTL_SECONDS)
    pipeline.execute()


def open_questions(redis: Redis, threads: list[Thread]) -> list[list[str]]:
    """For each thread, its open questions, oldest first."""
    pipeline = redis.pipeline()
    for thread in threads:
        pipeline.lrange(_key(thread.key), 0, -1)
    return [[_text(item) for item in items] for items in pipeline.execute()]


def _text(item: bytes | str) -> str:
    return item.decode() if isinstance(item, bytes) else item


def answered(redis: Redis, conversation: str, pipeline: Pipeline | None = None) -> None:
    """A person dealt with the thread: its questions leave the inbox."""
    target = pipeline if pipeline is not None else redis
    target.delete(_key(conversation))
