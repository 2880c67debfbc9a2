"""Demand: each match request recorded anonymously, and what the network is asked for."""
