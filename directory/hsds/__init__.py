"""Open Referral HSDS 3.0: the registry as HSDS records (``mapping``), the read-only HSDS API
(``api``), exports as JSON packages or tabular CSV zip (``export``) and imports of HSDS datasets
(read by ``dataset``) through the institution import pipeline (``reading``). The official schemas are in ``schema/``
(CC BY-SA 4.0, Open Referral)."""
