"""Data: import (``io``), survey-platform structure (``platforms``), text
answers to codes (``recode``), level order (``levels``), the raw/prepared
data model (``model``), preparation, scale scoring and missing values
(``prepare``), proposals (``setup``), sample surveys (``samples``)."""
