"""The platform every adapter and use case stands on: settings, the process's connections
(database, Redis, queues), job enqueueing, live events, logging. It imports nothing above it.
"""
