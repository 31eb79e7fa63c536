"""Binary logistic regression in blocks (SPSS LOGISTIC REGRESSION conventions), fitted with statsmodels."""
