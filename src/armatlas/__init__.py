"""armatlas: public arms-transfer and military-spending data turned into checkable evidence."""

from armatlas.errors import (
    ArmatlasError,
    DataError,
    FetchError,
    NoDataError,
    QueryError,
    StoreError,
    UnknownCountryError,
)

__version__ = "0.1.0"

__all__ = [
    "ArmatlasError",
    "DataError",
    "FetchError",
    "NoDataError",
    "QueryError",
    "StoreError",
    "UnknownCountryError",
    "__version__",
]
