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
    """Returns (latencies in seconds, queries/s, shed); raises on an unexpected answer.

    A 503 with Retry-After is the daemon shedding load as designed (its queue wait
    bound), not a failure: it is counted in `shed` and the client waits as a
    well-behaved one would (Retry-After, at most a second) before its next query."""
    latencies, lock = [], threading.Lock()
    failures, shed = [], [0]
    deadline = time.monotonic() + seconds

    def client(offset):
        index, mine = offset, []
        while time.monotonic() < deadline:
            status, took, headers = request(paths[index % len(paths)], socket_path)
            if status == 503 and "retry-after" in headers:
                with lock:
                    shed[0] += 1
                try:
                    pause = float(headers["retry-after"])
                except ValueError:
                    pause = 1.0
                time.sleep(max(0.0, min(pause, 1.0, deadline - time.monotonic())))
                continue
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
    return latencies, len(latencies) / seconds, shed[0]


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


def _closed_loop_client(socket_path, paths, connections, seconds, out):
    """One client process: `connections` threads each sending the next path as soon
    as the last answer came, for `seconds`; puts (statuses, latencies) on out."""
    statuses, latencies, lock = {}, [], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset):
        index = offset
        while time.monotonic() < deadline:
            status, took, _ = request(paths[index % len(paths)], socket_path, timeout=60)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(took)
            index += connections

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((statuses, latencies))


def _open_loop_client(socket_path, paths, rate, seconds, out):
    out.put(open_loop(socket_path, paths, rate, seconds, senders=16))


def fairness(socket_path, heavy_paths, light_paths, heavy_clients=2, connections=4, light_rate=20, seconds=30):
    """Heavy clients (separate processes, as separate services are: SO_PEERCRED tells
    them apart) send the most expensive queries in closed loops, `connections` at a
    time each, while a light client sends `light_rate` one-word searches a second in
    an open loop. Returns the light client's latencies (ms) and statuses, and what
    the heavy clients got (answers a second and latencies: of their 200s)."""
    import multiprocessing
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    heavy = [context.Process(target=_closed_loop_client, args=(socket_path, heavy_paths[n::heavy_clients] or heavy_paths,
                                                                connections, seconds + 2, out))
             for n in range(heavy_clients)]
    for process in heavy:
        process.start()
    time.sleep(1)  # the heavy load is on before the light client starts
    light_out = context.Queue()
    light = context.Process(target=_open_loop_client, args=(socket_path, light_paths, light_rate, seconds, light_out))
    light.start()
    light_results = light_out.get()
    light.join()
    heavy_results = [out.get() for _ in heavy]
    for process in heavy:
        process.join()
    light_ms = [latency * 1000 for status, latency, _ in light_results if status == 200]
    light_statuses = {}
    for status, _, _ in light_results:
        light_statuses[status] = light_statuses.get(status, 0) + 1
    heavy_statuses, heavy_ms = {}, []
    for statuses, latencies in heavy_results:
        for status, count in statuses.items():
            heavy_statuses[status] = heavy_statuses.get(status, 0) + count
        heavy_ms += [latency * 1000 for latency in latencies]
    return {
        "light": {"rate": light_rate, "sent": len(light_results), "statuses": light_statuses,
                  "p50_ms": percentile(light_ms, .5), "p99_ms": percentile(light_ms, .99),
                  "max_ms": max(light_ms) if light_ms else float("nan")},
        "heavy": {"clients": heavy_clients, "connections": connections, "statuses": heavy_statuses,
                  "answered_per_second": heavy_statuses.get(200, 0) / seconds,
                  "p50_ms": percentile(heavy_ms, .5), "p99_ms": percentile(heavy_ms, .99)},
    }
