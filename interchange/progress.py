"""Progress of a long import on a terminal: done/total, records per second and time left."""

import time


class Progress:
    """Call with ``(done, total)`` as work goes on; writes a line through ``write`` at most
    every ``every`` seconds, and once at the end."""

    def __init__(self, write, every=5.0, clock=time.monotonic):
        self.write = write
        self.every = every
        self.clock = clock
        self.started = clock()
        self.last = self.started

    def __call__(self, done, total):
        now = self.clock()
        if now - self.last < self.every and done < total:
            return
        self.last = now
        self.write(self.line(done, total, now - self.started))

    @staticmethod
    def line(done, total, elapsed):
        rate = done / elapsed if elapsed > 0 else 0.0
        if done >= total:
            left = "done"
        elif rate > 0:
            left = f"about {_duration((total - done) / rate)} left"
        else:
            left = "time left unknown"
        return f"  {done:,}/{total:,} records, {rate:,.0f} records/s, {left}"


def _duration(seconds):
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
