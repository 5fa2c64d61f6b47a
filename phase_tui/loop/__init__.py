"""The loop: bounces (watcher, catch-up compiler, catalogue), later the digest."""
