"""analysis: turn redes HDF5 output into tables, plots and one self-contained HTML report.

Layout of the files read here: sim/output/output_format.md. Everything is read by dimension label
and scale, never by position, so a writer that reorders axes or categories cannot silently
shift numbers between categories.
"""
from analysis.load import ReportError, MissingData, open_h5, tidy, labelled
from analysis.studies import Calibration, Sweep, load_calibration, load_sweep

__all__ = ["ReportError", "MissingData", "open_h5", "tidy", "labelled", "Sweep", "Calibration", "load_sweep",
           "load_calibration"]
