"""Stopping a process a hack/ script started (by its Popen handle, never by name)."""
import signal
import subprocess


def stop_process(proc, timeout=30):
    """SIGTERM, wait up to `timeout` s for a graceful exit, then SIGKILL and reap it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
