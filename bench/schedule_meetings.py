"""Meeting schedule of a financing matchmaking event: ours against first come, first served.

Run ``python -m bench.schedule_meetings``. A seeded random event that looks like a real one:
60 financiers (30 banks, 10 guarantee companies, 10 funds, 6 leasing firms, 4 insurers) taking
8–16 meetings each over 16 slots, and SMEs whose ticked types lean to credit and secured loans,
amounts log-uniform from 100,000 to 50 million yuan, industries from CHAINS and needs from a
list of realistic sentences. Once with 1,000 SMEs (more SMEs than places), once with the first
300 of them (more places than SMEs). Both methods' times include computing the fits (the lexicon
is loaded beforehand).
"""
import random
import time

from matching.financing import CHAINS
from matching.lexicon import default_lexicon
from matching.meeting_fit import Offer, Seeker
from matching.schedule import Schedule, greedy_schedule, schedule_meetings

SEED = 20261122
SLOTS = 16
FINANCIERS = 60
SME_COUNTS = (1_000, 300)
NEEDS = (
    "",
    "有三项发明专利，想做知识产权质押贷款500万元用于扩产",
    "订单增加，需要流动资金周转",
    "厂房可以抵押，想申请银行贷款购买原材料",
    "想找投资人做A轮融资",
    "想通过融资租赁更新两条生产线",
    "缺少抵押物，希望有担保公司增信",
    "核心企业的应收账款想做保理",
    "研发投入大，想了解股权融资和信用贷款",
    "We need a bank loan for working capital",
    "想参加对接会认识几家金融机构",
    "新产品上市，想给研发项目买科技保险",
)
# Ticked types and their weights: most SMEs ask for a loan.
SOUGHT = {"credit_loan": 35, "secured_loan": 25, "ip_pledge": 10, "guarantee": 8, "equity": 8,
          "supply_chain": 7, "leasing": 5, "insurance": 2}
# Financier kinds: how many, what they always offer, what some of them add, amount range bounds.
KINDS = (
    (30, ("credit_loan", "secured_loan"), ("ip_pledge", "supply_chain"), (100_000, 1_000_000), (5_000_000, 50_000_000)),
    (10, ("guarantee",), (), (500_000, 2_000_000), (5_000_000, 20_000_000)),
    (10, ("equity",), (), (2_000_000, 10_000_000), (20_000_000, 100_000_000)),
    (6, ("leasing",), (), (500_000, 2_000_000), (10_000_000, 50_000_000)),
    (4, ("insurance",), ("ip_pledge",), (100_000, 500_000), (5_000_000, 20_000_000)),
)
CHAIN_CODES = [code for code in CHAINS if code != "other"]


def log_uniform(rng: random.Random, low: int, high: int) -> int:
    return round(low * (high / low) ** rng.random())


def financiers(rng: random.Random) -> list[Offer]:
    offers = []
    for count, always, some, low_bounds, high_bounds in KINDS:
        for _ in range(count):
            types = always + tuple(code for code in some if rng.random() < 0.4)
            industries = tuple(rng.sample(CHAIN_CODES, rng.randint(1, 3))) if rng.random() < 0.5 else ()
            offers.append(Offer(len(offers) + 1, types, log_uniform(rng, *low_bounds),
                                log_uniform(rng, *high_bounds), industries, rng.randint(8, 16)))
    return offers


def smes(rng: random.Random, count: int) -> list[Seeker]:
    codes, weights = list(SOUGHT), list(SOUGHT.values())
    seekers = []
    for number in range(1, count + 1):
        ticked = () if rng.random() < 0.15 else tuple(sorted(set(rng.choices(codes, weights, k=rng.randint(1, 2)))))
        seekers.append(Seeker(number, ticked, log_uniform(rng, 100_000, 50_000_000),
                              rng.choice(list(CHAINS)), rng.choice(NEEDS)))
    return seekers


def left_out(schedule: Schedule, offers: list[Offer]) -> tuple[int, int]:
    """SMEs without a meeting though a financier was compatible, and those of them that a
    compatible financier still had room for."""
    taken: dict[int, int] = {}
    for meeting in schedule.meetings:
        taken[meeting.offer_id] = taken.get(meeting.offer_id, 0) + 1
    room = {offer.id for offer in offers if taken.get(offer.id, 0) < min(offer.capacity, SLOTS)}
    unmatched = set(schedule.unmatched)
    compatible = {seeker for seeker, _ in schedule.fits if seeker in unmatched}
    with_room = {seeker for seeker, offer in schedule.fits if seeker in unmatched and offer in room}
    return len(compatible), len(with_room)


def main() -> None:
    default_lexicon()
    rng = random.Random(SEED)
    offers = financiers(rng)
    everyone = smes(rng, max(SME_COUNTS))
    places = sum(min(offer.capacity, SLOTS) for offer in offers)
    print(f"{len(offers)} financiers, {SLOTS} slots, {places} meeting places; up to 3 meetings per SME.\n")
    print("| SMEs | method | time s | meetings | total fit | mean fit per meeting | SMEs served "
          "| SMEs without a meeting | of them with a compatible financier "
          "| compatible SMEs left out while capacity remained |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count in SME_COUNTS:
        seekers = everyone[:count]
        for name, method in (("ours", schedule_meetings), ("greedy", greedy_schedule)):
            started = time.perf_counter()
            schedule = method(seekers, offers, slots=SLOTS)
            seconds = time.perf_counter() - started
            meetings = len(schedule.meetings)
            compatible, with_room = left_out(schedule, offers)
            print(f"| {count:,} | {name} | {seconds:.2f} | {meetings:,} | {schedule.total_fit:.1f} "
                  f"| {schedule.total_fit / max(meetings, 1):.3f} | {count - len(schedule.unmatched):,} "
                  f"| {len(schedule.unmatched):,} | {compatible:,} | {with_room} |", flush=True)


if __name__ == "__main__":
    main()
