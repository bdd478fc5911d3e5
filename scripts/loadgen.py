"""Load over acsearchd's Unix socket, shared by scripts/bench and scripts/torture.

Closed loop (N clients, each sends when its last answer came) measures throughput;
open loop (requests sent at fixed times, latency counted from the time each was
meant to be sent) measures latency without hiding stalls (no coordinated omission).
"""
import socket
import threading
import time


def request(path, socket_path, timeout=30):
    """One GET over a new connection, as the CLI makes it: (status, seconds, headers).
    Status 0: the connection failed or closed without an answer."""
    started = time.perf_counter()
    data = b""
    try:
        connection = socket.socket(socket.AF_UNIX)
        connection.settimeout(timeout)
        connection.connect(socket_path)
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
        connection.close()
    except OSError:
        pass
    seconds = time.perf_counter() - started
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    try:
        status = int(lines[0].split(" ")[1])
    except (IndexError, ValueError):
        status = 0
    headers = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in lines[1:] if ":" in line}
    return status, seconds, headers


def closed_loop(socket_path, paths, clients, seconds, accept=(200, 400)):
    """Returns (latencies in seconds, queries/s); raises on an unexpected answer."""
    latencies, lock = [], threading.Lock()
    failures = []
    deadline = time.monotonic() + seconds

    def client(offset):
        index, mine = offset, []
        while time.monotonic() < deadline:
            status, took, _ = request(paths[index % len(paths)], socket_path)
            if status not in accept:
                failures.append((paths[index % len(paths)], status))
                return
            mine.append(took)
            index += clients
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"unexpected answers: {failures[:5]}")
    return latencies, len(latencies) / seconds


def open_loop(socket_path, paths, rate, seconds, senders=None):
    """Requests at fixed times. Returns a list of (status, latency from the intended
    send time in seconds, whether a 503 carried Retry-After)."""
    results, lock = [], threading.Lock()
    start = time.monotonic() + 0.1
    count = int(rate * seconds)
    slots = iter(range(count))
    slots_lock = threading.Lock()

    def sender():
        while True:
            with slots_lock:
                n = next(slots, None)
            if n is None:
                return
            intended = start + n / rate
            delay = intended - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            status, _, headers = request(paths[n % len(paths)], socket_path)
            with lock:
                results.append((status, time.monotonic() - intended, "retry-after" in headers))

    # Enough senders that a slow answer does not hold back the next send.
    threads = [threading.Thread(target=sender) for _ in range(senders or max(16, min(256, rate // 2)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def resident_mib(pid, field="VmRSS"):
    """Resident memory now, or with field="VmHWM" the most the process has held."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wait_until_serving(socket_path, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if request("/v1/health", socket_path, timeout=2)[0] == 200:
            return True
        time.sleep(0.05)
    return False
