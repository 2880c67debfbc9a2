"""The ten service categories of docs/contract.md."""
from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field, SQLModel


class ServiceCategory(SQLModel, table=True):
    __tablename__ = "service_category"

    code: str = Field(primary_key=True, max_length=32)
    name_zh: str = Field(max_length=32)
    name_en: str = Field(max_length=64)
    description_zh: str = Field(max_length=500)
    description_en: str = Field(max_length=500)
    position: int = Field(default=0)


def category_link_column() -> Column:
    """The ``category_code`` of a table linking something to its categories: part of its primary key."""
    return Column(String(32), ForeignKey("service_category.code"), primary_key=True, index=True)
