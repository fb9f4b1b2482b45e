"""Receipts (udlæg): photographed on the phone, read by OCR on the server, checked and booked."""
