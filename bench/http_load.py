"""POST /api/v1/match over HTTP against the production server: gunicorn, 2 workers, loopback.

Run ``python -m bench.http_load``. Seeds a temporary SQLite database with the sample network,
starts ``gunicorn -w 2`` on a free port of 127.0.0.1, warms both workers, then runs ``wrk`` (Debian
package ``wrk``) for 10 s with 8 connections over a rotation of needs and regions, and stops the
server. Prints requests per second and latency percentiles.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION_S = 10
CONNECTIONS = 8
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {
  '{"need": "我们厂的专利被人抄袭了，想找人维权", "region_code": "320583"}',
  '{"need": "想申请一笔贷款扩大生产", "region_code": "440300"}',
  '{"need": "招不到技术工人，需要职业技能培训", "region_code": "510100"}',
  '{"need": "How can we export our products to Southeast Asia?", "region_code": "330100"}',
  '{"need": "客户拖欠货款半年了，想打官司", "region_code": "370200"}',
  '{"need": "工厂想上云，做数字化改造", "region_code": "420100"}',
}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, "/api/v1/match", nil, bodies[(i % #bodies) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def main() -> None:
    if shutil.which("wrk") is None:
        print("HTTP load: skipped, wrk is not installed (apt-get install wrk)")
        return
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {"DATABASE_URL": f"sqlite:///{folder}/sme.sqlite3", "SECRET_KEY": "bench",
                            "SME_ADMIN_PASSWORD": "bench-password"}
        subprocess.run([bin_dir / "flask", "--app", "wsgi", "seed"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        port = free_port()
        server = subprocess.Popen([bin_dir / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/api/v1/categories")
            script = Path(folder) / "match.lua"
            script.write_text(LUA, encoding="utf-8")
            subprocess.run(["wrk", "-t1", "-c4", "-d3s", "-s", script, base], capture_output=True)  # warm-up
            out = subprocess.run(["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency", "-s", script, base],
                                 capture_output=True, text=True, check=True).stdout
        finally:
            server.terminate()
            server.wait(timeout=10)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(f"| POST /api/v1/match, gunicorn 2 workers, {CONNECTIONS} connections, {DURATION_S} s "
          f"| {float(rate):.0f} req/s | p50 {latency.get('50')} | p90 {latency.get('90')} | p99 {latency.get('99')} "
          f"| non-2xx {errors.group(1) if errors else 0} |")


if __name__ == "__main__":
    main()
