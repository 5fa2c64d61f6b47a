"""The K-weighting filter of ITU-R BS.1770-4 for any sample rate, as second-order sections.

BS.1770 lists biquad coefficients for 48 kHz only. Like pyloudnorm's exact variant and
libebur128, they are derived here from the analog prototype the standard's table was made
from (a high shelf near 1.68 kHz and a high pass near 38 Hz) by the bilinear transform
with pre-warping, so at 48 kHz they reproduce the table and at any other rate they keep
the same response.
"""

from __future__ import annotations

import math

import numpy as np

SHELF_HZ = 1681.974450955533
SHELF_GAIN_DB = 3.999843853973347
SHELF_Q = 0.7071752369554196
SHELF_MID_EXPONENT = 0.4996667741545416
HIGH_PASS_HZ = 38.13547087602444
HIGH_PASS_Q = 0.5003270373238773


def k_weighting_sos(sample_rate_hz: int) -> np.ndarray:
    """The two K-weighting biquads, shelf then high pass, as `sos` rows (2, 6):
    b0 b1 b2 a0 a1 a2, scipy's layout."""
    return np.array([_high_shelf(sample_rate_hz), _high_pass(sample_rate_hz)])


def _high_shelf(sample_rate_hz: int) -> list[float]:
    k = math.tan(math.pi * SHELF_HZ / sample_rate_hz)
    high_gain = 10.0 ** (SHELF_GAIN_DB / 20.0)
    mid_gain = high_gain**SHELF_MID_EXPONENT
    a0 = 1.0 + k / SHELF_Q + k * k
    b = [
        (high_gain + mid_gain * k / SHELF_Q + k * k) / a0,
        2.0 * (k * k - high_gain) / a0,
        (high_gain - mid_gain * k / SHELF_Q + k * k) / a0,
    ]
    a = [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / SHELF_Q + k * k) / a0]
    return b + a


def _high_pass(sample_rate_hz: int) -> list[float]:
    k = math.tan(math.pi * HIGH_PASS_HZ / sample_rate_hz)
    a0 = 1.0 + k / HIGH_PASS_Q + k * k
    a = [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / HIGH_PASS_Q + k * k) / a0]
    return [1.0, -2.0, 1.0] + a
