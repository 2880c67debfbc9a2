"""The load test's mixed workload (run by tests/load/test_load.py with ``locust --headless``).

SMEs search, match and read statistics; administrators create and change institutions; SMEs
register for events. Every write the server acknowledges is appended to the ledger file
(``SME_LEDGER``) so the test can check afterwards that each one is really there.
"""
import itertools
import json
import os
import random
import threading

from locust import HttpUser, between, task

TOKEN = os.environ["SME_LOAD_TOKEN"]
LEDGER = os.environ["SME_LEDGER"]
EVENTS = json.loads(os.environ["SME_OPEN_EVENTS"])
COUNTIES = ["320508", "320583", "320505", "330106", "440305", "510107", "420106", "110105"]
QUERIES = ["苏州", "szzx", "知识产权", "中小企业服务中心", "kunshan", "深圳"]
NEEDS = ["想申请一笔贷款扩大生产", "我们的专利被人抄袭了，想找人维权", "工厂想上云，做数字化改造",
         "招不到技术工人", "客户拖欠货款半年了"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_lock = threading.Lock()
_serial = itertools.count(1)


def credit_code(number: int) -> str:
    body = f"91320508{os.getpid() % 1000:03d}{number:06d}"
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


def record(kind: str, identifier) -> None:
    with _lock, open(LEDGER, "a", encoding="utf-8") as ledger:
        ledger.write(f"{kind},{identifier}\n")


class Visitor(HttpUser):
    wait_time = between(0.05, 0.3)
    weight = 5

    @task(6)
    def search(self):
        self.client.get(f"/api/v1/institutions?q={random.choice(QUERIES)}", name="GET /institutions?q=")

    @task(6)
    def match(self):
        with self.client.post("/api/v1/match", json={"need": random.choice(NEEDS),
                                                     "region_code": random.choice(COUNTIES)},
                              name="POST /match", catch_response=True) as response:
            if response.status_code == 200 and response.json()["categories"]:
                record("match", "detected")     # an answered match that detected a need: demand to record

    @task(3)
    def regions(self):
        self.client.get(f"/api/v1/regions/{random.choice(COUNTIES)}", name="GET /regions/{code}")

    @task(1)
    def stats(self):
        self.client.get("/api/v1/stats/coverage", name="GET /stats/coverage")

    @task(2)
    def page(self):
        self.client.get("/institutions?region_code=320000", name="GET /institutions (page)")

    @task(2)
    def register(self):
        event = random.choice(EVENTS)
        number = next(_serial)
        body = {"enterprise_name": f"压测企业{os.getpid()}-{number}有限公司", "credit_code": credit_code(number),
                "region_code": "320508", "contact_name": "测试", "contact_phone": "13800138000",
                "need": "流动资金贷款"}
        with self.client.post(f"/api/v1/events/{event}/registrations", json=body, name="POST /registrations",
                              catch_response=True) as response:
            if response.status_code == 201:
                record("registration", f"{event}:{response.json()['id']}")
            elif response.status_code == 409:
                response.success()      # full or closed: a correct answer, not a failure


class Administrator(HttpUser):
    wait_time = between(0.1, 0.5)
    weight = 1

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {TOKEN}"
        self.mine = []

    @task(3)
    def create(self):
        number = next(_serial)
        body = {"name": f"压测服务中心{os.getpid()}-{number}", "level": "county",
                "region_code": random.choice(COUNTIES), "services": ["policy", "financing"]}
        response = self.client.post("/api/v1/institutions", json=body, name="POST /institutions")
        if response.status_code == 201:
            self.mine.append(response.json()["id"])
            record("institution", response.json()["id"])

    @task(2)
    def change(self):
        if self.mine:
            iid = random.choice(self.mine)
            phone = f"0512-6{random.randint(1000000, 9999999)}"
            response = self.client.patch(f"/api/v1/institutions/{iid}", json={"phone": phone},
                                         name="PATCH /institutions/{id}")
            if response.status_code == 200:
                record("phone", f"{iid}:{phone}")
