"""Runs a command on a real pseudo-terminal, as a user at a terminal would, and reports what happened.

    python3 pty-run.py COMMAND [ARG...]

The environment variable PTY_STEPS is a JSON list of steps, each {"wait": TEXT, "send": TEXT}: wait
until TEXT appears in the terminal output (after where the previous step's TEXT was found), note
whether the terminal's ECHO flag is on at that moment, then write "send" (if any) in one write.

Prints one JSON object: {"status": exit code or null, "timedOut": bool, "terminal": all output,
"echoAtSteps": [ECHO at each step], "echoAfterExit": ECHO once the command has exited}. The terminal
state is read from the pty's slave side, which this process keeps open, so it is still readable
after the command exits. The whole run is bounded: past DEADLINE seconds the command is killed.
"""

import json
import os
import select
import signal
import sys
import termios
import time

DEADLINE = 15.0

argv = sys.argv[1:]
steps = json.loads(os.environ.get("PTY_STEPS", "[]"))

master, slave = os.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.login_tty(slave)  # new session, the pty as controlling terminal and as stdin/stdout/stderr
    os.execv(argv[0], argv)

started = time.monotonic()
seen = b""
timed_out = False


def echo_on():
    return bool(termios.tcgetattr(slave)[3] & termios.ECHO)


def read(wait):
    """Reads what the command wrote within `wait` seconds; False at end of output or deadline."""
    global seen, timed_out
    left = DEADLINE - (time.monotonic() - started)
    if left <= 0:
        timed_out = True
        return False
    if not select.select([master], [], [], min(wait, left))[0]:
        return True
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: every process on the slave side has closed it
        return False
    seen += chunk
    return bool(chunk)


def reap():
    """The command's exit code once it has exited, else None."""
    global status
    if status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(raw)
    return status


def drain():
    while select.select([master], [], [], 0)[0] and read(0):
        pass


status = None
echo_at_steps = []
position = 0
for step in steps:
    wanted = step["wait"].encode()
    # Waits for the text; gives up at the deadline or once the command has exited without it.
    while wanted not in seen[position:] and read(0.05) and reap() is None:
        pass
    drain()
    found = seen.find(wanted, position)
    if found == -1:
        break
    position = found + len(wanted)
    echo_at_steps.append(echo_on())
    if step.get("send"):
        os.write(master, step["send"].encode())

# The slave stays open here, so the end of the output is not EIO: wait for the exit itself.
while reap() is None and read(0.05):
    pass
drain()
if status is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

sys.stdout.write(
    json.dumps(
        {
            "status": status,
            "timedOut": timed_out,
            "terminal": seen.decode(errors="replace"),
            "echoAtSteps": echo_at_steps,
            "echoAfterExit": echo_on(),
        }
    )
)
