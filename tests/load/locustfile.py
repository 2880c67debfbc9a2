"""The load test's mixed workload (run by tests/load/test_load.py with ``locust --headless``).

SMEs search, match and read statistics; administrators create and change institutions; SMEs
register for events; SMEs submit service requests and rate them once resolved, while institution
staff (``SME_STAFF``: [institution id, bearer token] pairs) accept, decline, forward and resolve
them. Every write the server acknowledges is appended to the ledger file (``SME_LEDGER``) so the
test can check afterwards that each one is really there, once, with the mail it implies.

Submissions and ratings are limited to 5 a minute per client address; the server trusts one proxy
(``SME_TRUST_PROXY=1``), so each business sends them from an address of its own (X-Forwarded-For).
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
STAFF = json.loads(os.environ.get("SME_STAFF", "[]"))      # [[institution id, bearer token], ...]
MAIL_DOMAIN = "sme.load.example"
COUNTIES = ["320508", "320583", "320505", "330106", "440305", "510107", "420106", "110105"]
QUERIES = ["苏州", "szzx", "知识产权", "中小企业服务中心", "kunshan", "深圳"]
NEEDS = ["想申请一笔贷款扩大生产", "我们的专利被人抄袭了，想找人维权", "工厂想上云，做数字化改造",
         "招不到技术工人", "客户拖欠货款半年了"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_lock = threading.Lock()
_serial = itertools.count(1)
_addresses = itertools.count(1)
_staff_turn = itertools.count()


def credit_code(number: int) -> str:
    body = f"91320508{os.getpid() % 1000:03d}{number:06d}"
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


def client_address() -> str:
    """A client address used once (so the per-address limits count each business separately)."""
    number = next(_addresses)
    return f"10.{os.getpid() % 200 + 20}.{number // 250 % 250}.{number % 250 + 1}"


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


class Business(HttpUser):
    """An SME that asks staffed institutions to contact it, follows its requests and rates the resolved ones."""
    wait_time = between(0.3, 1.0)
    weight = 2

    def on_start(self):
        self.tracking: dict[str, int] = {}    # token → request id, until rated

    @task(3)
    def submit(self):
        if not STAFF:
            return
        number = next(_serial)
        institutions = random.sample([iid for iid, _ in STAFF], k=1 if random.random() < 0.7 else 2)
        email = f"sme{os.getpid()}-{number}@{MAIL_DOMAIN}"
        body = {"need": random.choice(NEEDS), "region_code": random.choice(COUNTIES), "consent": True,
                "enterprise_name": f"压测服务企业{os.getpid()}-{number}有限公司", "contact_name": "测试",
                "contact_phone": f"139{os.getpid() % 100:02d}{number:06d}", "contact_email": email,
                "institution_ids": institutions}
        with self.client.post("/api/v1/service-requests", json=body, headers={"X-Forwarded-For": client_address()},
                              name="POST /service-requests", catch_response=True) as response:
            if response.status_code == 201:
                answer = response.json()
                record("request", json.dumps({"id": answer["id"], "email": email, "assignments": [
                    [a["id"], a["institution_id"]] for a in answer["assignments"]]}))
                self.tracking[answer["tracking_url"].rsplit("/", 1)[1]] = answer["id"]

    @task(2)
    def follow_and_rate(self):
        if not self.tracking:
            return
        token = random.choice(list(self.tracking))
        response = self.client.get(f"/api/v1/service-requests/track/{token}", name="GET /service-requests/track")
        if response.status_code != 200 or not response.json()["may_rate"]:
            return
        with self.client.post(f"/api/v1/service-requests/track/{token}/feedback", catch_response=True,
                              json={"rating": random.randint(1, 5), "comment": "压测评价"},
                              headers={"X-Forwarded-For": client_address()},
                              name="POST /service-requests/track/feedback") as rated:
            if rated.status_code == 201:
                record("feedback", self.tracking.pop(token))


class Staff(HttpUser):
    """An institution's staff working through its inbox: mostly accept then resolve, sometimes decline or
    forward to another staffed institution. Another user of the same institution may act first: 409."""
    wait_time = between(0.2, 0.6)
    fixed_count = 3

    def on_start(self):
        self.institution, token = STAFF[next(_staff_turn) % len(STAFF)] if STAFF else (None, "")
        self.client.headers["Authorization"] = f"Bearer {token}"

    def mine(self, status: str) -> list[tuple[int, dict]]:
        if self.institution is None:
            return []
        response = self.client.get(f"/api/v1/service-requests?status={status}",
                                   name=f"GET /service-requests?status={status}")
        if response.status_code != 200:
            return []
        return [(r["id"], a) for r in response.json() for a in r["assignments"]
                if a["institution_id"] == self.institution and a["status"] == status]

    def act(self, request_id: int, assignment_id: int, action: dict) -> None:
        with self.client.patch(f"/api/v1/service-requests/{request_id}/assignments/{assignment_id}", json=action,
                               name=f"PATCH /service-requests assignment {action['action']}",
                               catch_response=True) as response:
            if response.status_code == 200:
                record("transition", json.dumps({"request": request_id, "assignment": assignment_id,
                                                 "action": action["action"],
                                                 "to": action.get("to_institution_id")}))
            elif response.status_code == 409 or (response.status_code == 422 and action["action"] == "forward"):
                response.success()   # someone acted first, or the target already has it: a correct answer

    @task(3)
    def answer_offers(self):
        offered = self.mine("offered")
        if not offered:
            return
        request_id, assignment = random.choice(offered[:20])
        roll = random.random()
        others = [iid for iid, _ in STAFF if iid != self.institution]
        if roll < 0.75:
            action = {"action": "accept"}
        elif roll < 0.88 or not others:
            action = {"action": "decline", "reason": "压测：本机构暂不提供该服务"}
        else:
            action = {"action": "forward", "to_institution_id": random.choice(others), "note": "压测：转交"}
        self.act(request_id, assignment["id"], action)

    @task(2)
    def resolve(self):
        accepted = self.mine("accepted")
        if accepted:
            request_id, assignment = random.choice(accepted[:20])
            self.act(request_id, assignment["id"], {"action": "resolve", "note": "压测：已办结",
                                                    "outcome": random.choice(["resolved", "partly", "not_resolved"])})
