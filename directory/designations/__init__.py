"""Designations of institutions (示范平台, 示范基地): granted, revoked, kept as history."""
