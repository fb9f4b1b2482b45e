"""Mileage allowance (kørselsgodtgørelse): trips logged by employees, checked, approved and paid."""
