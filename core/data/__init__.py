"""Data: import (``io``), the raw/prepared data model (``model``), scale
scoring and missing values (``prepare``), variable-role proposals
(``setup``)."""
