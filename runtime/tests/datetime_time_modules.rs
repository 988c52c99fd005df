//! The datetime, time, base64 and unicodedata modules: fixed values (the
//! test host has no clock, so clocks are checked by relations only), with
//! outputs taken from CPython 3.11.

mod common;

#[test]
fn base64_module() {
    let source = r##"import base64, binascii
print(base64.b64encode(b"Python bytes \x00\xff"), base64.b64decode("UHl0aG9u"))
print(base64.urlsafe_b64encode(b"\xfb\xff\xfe"), base64.urlsafe_b64decode("-__-"), base64.b64encode(b"\xfb\xff", altchars=b"-_"))
print(base64.b32encode(b"hello"), base64.b32decode(b"NBSWY3DP"), base64.b32decode("nbswy3dp", casefold=True), base64.b32hexencode(b"hi"))
print(base64.b16encode(b"\x01\xab"), base64.b16decode("01AB"), base64.b16decode("01ab", casefold=True))
print(base64.b85encode(b"hello world"), base64.b85decode(b"Xk~0{Zy<MXa%^M"), base64.a85encode(b"hello", adobe=True), base64.a85decode(b"<~BOu!rDZ~>", adobe=True))
print(base64.encodebytes(b"x" * 60), base64.decodebytes(b"eHl6\n"))
print(base64.b64decode(b"YQ==YWJj"), base64.b64decode(b"YW*Jj"))
for bad, validate in [("abc", False), ("ab=c", True), ("a", False), ("YW*Jj", True), ("YQ==YWJj", True)]:
    try:
        base64.b64decode(bad, validate=validate)
    except binascii.Error as e:
        print(type(e).__name__, e)
for call in (lambda: base64.b32decode("ME====="), lambda: base64.b16decode("6a"), lambda: base64.b64decode("é"), lambda: base64.b64encode("text")):
    try:
        call()
    except (ValueError, TypeError, OverflowError) as e:
        print(type(e).__name__, e)
"##;
    let expected = r##"b'UHl0aG9uIGJ5dGVzIAD/' b'Python'
b'-__-' b'\xfb\xff\xfe' b'-_8='
b'NBSWY3DP' b'hello' b'hello' b'D1KG===='
b'01AB' b'\x01\xab' b'\x01\xab'
b'Xk~0{Zy<MXa%^M' b'hello world' b'<~BOu!rDZ~>' b'hello'
b'eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4\neHh4\n' b'xyz'
b'a' b'abc'
Error Incorrect padding
Error Discontinuous padding not allowed
Error Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4
Error Only base64 data is allowed
Error Excess data after padding
Error Incorrect padding
Error Non-base16 digit found
ValueError string argument should contain only ASCII characters
TypeError a bytes-like object is required, not 'str'
"##;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn datetime_module() {
    let source = r##"from datetime import date, datetime, time, timedelta, timezone, tzinfo, MINYEAR, MAXYEAR
d = date(2024, 2, 28)
print(d, repr(d), d + timedelta(days=1), d + timedelta(days=2), d.weekday(), d.isoweekday(), d.isocalendar(), d.toordinal(), d.ctime())
print(date.fromordinal(738000), date.fromisoformat("1999-12-31"), date.fromisocalendar(2020, 53, 7), date(2024, 12, 31) - date(2024, 1, 1))
dt = datetime(2023, 7, 4, 15, 30, 45, 123456)
print(dt, repr(dt), dt.isoformat(timespec="milliseconds"), dt.strftime("%Y/%m/%d %I:%M %p %A %B %j %f %a %b %y %U %W %w %%"))
print(dt + timedelta(hours=10), dt - timedelta(weeks=1, seconds=1), dt.replace(year=2000, microsecond=0), dt.date(), dt.time(), dt.timetuple())
td = timedelta(days=1, hours=2, minutes=3, seconds=4.5)
print(td, repr(td), td.total_seconds(), td * 2, -td, abs(-td), timedelta(seconds=-1), td // timedelta(hours=1), td / 4, td % timedelta(hours=5))
print(timedelta(microseconds=2.5), timedelta(microseconds=1.5), timedelta(days=0.1), timedelta.max, repr(timedelta.min), timedelta.resolution)
utc = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)
plus2 = utc.astimezone(timezone(timedelta(hours=2)))
print(utc, repr(plus2), utc == plus2, hash(utc) == hash(plus2), utc.timestamp(), plus2 - utc, plus2.utcoffset(), plus2.tzname())
print(repr(timezone(timedelta(hours=5, minutes=30), "IST")), timezone(timedelta(hours=-5, minutes=-30)), repr(timezone.utc), timezone.min, timezone.max)
print(datetime.strptime("2020-02-29 23:59", "%Y-%m-%d %H:%M") + timedelta(minutes=1), repr(datetime.strptime("03/04/21 1:02:03 pm +0130", "%x %I:%M:%S %p %z")))
print(repr(datetime.fromisoformat("2021-06-15T08:00:00.5+05:30")), repr(time.fromisoformat("10:20:30")), datetime.fromisoformat("20200101T102030Z"))
print(datetime.utcfromtimestamp(1e9), datetime.fromtimestamp(86400.5, timezone.utc), datetime.combine(date(2020, 5, 6), time(7, 8)), f"{date(2024, 1, 1):%d.%m.%Y}")
print(repr(time(9, 5)), time(9, 5, 7, 12), time(23, 59).isoformat("minutes"), date(2024, 1, 1) < date(2024, 1, 2), max(date(2020, 5, 1), date(2019, 12, 31)))
print(sorted([datetime(2020, 1, 2), datetime(2020, 1, 1, 23)]), MINYEAR, MAXYEAR, date.min, date.max, datetime.max)
class Eastern(tzinfo):
    def utcoffset(self, dt): return timedelta(hours=-5)
    def dst(self, dt): return timedelta(0)
    def tzname(self, dt): return "EST"
print(datetime(2020, 1, 1, tzinfo=Eastern()).astimezone(timezone.utc), datetime(2020, 1, 1, tzinfo=Eastern()).strftime("%H:%M %z %Z"))
for call in (lambda: date(2024, 2, 30), lambda: date(0, 1, 1), lambda: date(2024, 13, 1), lambda: time(24), lambda: date.max + timedelta(1),
             lambda: timedelta(days=10**9), lambda: date(2020, 1, 1) < datetime(2020, 1, 1), lambda: datetime(2020, 1, 1) - utc,
             lambda: datetime.strptime("2024x", "%Y"), lambda: datetime.strptime("x", "%Y"), lambda: date.fromisoformat("2020-1-01"),
             lambda: timezone(timedelta(hours=24)), lambda: date(2024.0, 1, 1)):
    try:
        call()
    except (ValueError, TypeError, OverflowError) as e:
        print(type(e).__name__, e)
"##;
    let expected = r##"2024-02-28 datetime.date(2024, 2, 28) 2024-02-29 2024-03-01 2 3 datetime.IsoCalendarDate(year=2024, week=9, weekday=3) 738944 Wed Feb 28 00:00:00 2024
2021-07-29 1999-12-31 2021-01-03 365 days, 0:00:00
2023-07-04 15:30:45.123456 datetime.datetime(2023, 7, 4, 15, 30, 45, 123456) 2023-07-04T15:30:45.123 2023/07/04 03:30 PM Tuesday July 185 123456 Tue Jul 23 27 27 2 %
2023-07-05 01:30:45.123456 2023-06-27 15:30:44.123456 2000-07-04 15:30:45 2023-07-04 15:30:45.123456 time.struct_time(tm_year=2023, tm_mon=7, tm_mday=4, tm_hour=15, tm_min=30, tm_sec=45, tm_wday=1, tm_yday=185, tm_isdst=-1)
1 day, 2:03:04.500000 datetime.timedelta(days=1, seconds=7384, microseconds=500000) 93784.5 2 days, 4:06:09 -2 days, 21:56:55.500000 1 day, 2:03:04.500000 -1 day, 23:59:59 26 6:30:46.125000 1:03:04.500000
0:00:00.000002 0:00:00.000002 2:24:00 999999999 days, 23:59:59.999999 datetime.timedelta(days=-999999999) 0:00:00.000001
2024-01-01 12:00:00+00:00 datetime.datetime(2024, 1, 1, 14, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200))) True True 1704110400.0 0:00:00 2:00:00 UTC+02:00
datetime.timezone(datetime.timedelta(seconds=19800), 'IST') UTC-05:30 datetime.timezone.utc UTC-23:59 UTC+23:59
2020-03-01 00:00:00 datetime.datetime(2021, 3, 4, 13, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(seconds=5400)))
datetime.datetime(2021, 6, 15, 8, 0, 0, 500000, tzinfo=datetime.timezone(datetime.timedelta(seconds=19800))) datetime.time(10, 20, 30) 2020-01-01 10:20:30+00:00
2001-09-09 01:46:40 1970-01-02 00:00:00.500000+00:00 2020-05-06 07:08:00 01.01.2024
datetime.time(9, 5) 09:05:07.000012 23:59 True 2020-05-01
[datetime.datetime(2020, 1, 1, 23, 0), datetime.datetime(2020, 1, 2, 0, 0)] 1 9999 0001-01-01 9999-12-31 9999-12-31 23:59:59.999999
2020-01-01 05:00:00+00:00 00:00 -0500 EST
ValueError day is out of range for month
ValueError year 0 is out of range
ValueError month must be in 1..12
ValueError hour must be in 0..23
OverflowError date value out of range
OverflowError days=1000000000; must have magnitude <= 999999999
TypeError can't compare datetime.datetime to datetime.date
TypeError can't subtract offset-naive and offset-aware datetimes
ValueError unconverted data remains: x
ValueError time data 'x' does not match format '%Y'
ValueError Invalid isoformat string: '2020-1-01'
ValueError offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not datetime.timedelta(days=1).
TypeError 'float' object cannot be interpreted as an integer
"##;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn time_module() {
    let source = r##"import time
t1, m1, p1 = time.time(), time.monotonic(), time.perf_counter()
time.sleep(0.01)
print(time.time() >= t1, time.monotonic() >= m1, time.perf_counter() >= p1, type(time.time_ns()).__name__, type(time.monotonic_ns()).__name__, type(time.process_time()).__name__)
g = time.gmtime(1_000_000_000)
print(g)
print(g.tm_year, g.tm_yday, g.tm_zone, g.tm_gmtoff, len(g), g[:3], tuple(g) == g)
print(time.strftime("%Y-%m-%d %H:%M:%S %a %A %b %B %j %U %W %V %G %u %w %y %C %e %D %T %F %R %I %p %c %x %X %%", g))
print(time.strftime("%-d|%_m|%^a|%Q|%", g), time.asctime(g), time.ctime(86400 * 365), time.mktime(time.localtime(1_000_000)))
print(time.mktime((2020, 14, 40, 0, 0, 0, 0, 1, 0)), time.gmtime(-1.5)[:6], time.timezone, time.daylight, time.tzname)
st = time.strptime("2024-03-15 10:20:30", "%Y-%m-%d %H:%M:%S")
print(st)
print(time.strptime("Mon Jan  6 10:00:00 2020"), time.strptime("2024 5 3", "%Y %U %w")[:8], time.strptime("2024 W10 3", "%G W%V %u")[:8])
print(time.struct_time((2020, 1, 1, 0, 0, 0, 2, 1, 0)).tm_zone, time.get_clock_info("monotonic").monotonic)
for call in (lambda: time.strftime("%Y", (2020, 13, 1, 0, 0, 0, 0, 1, 0)), lambda: time.strptime("2024", "%Q"), lambda: time.strptime("2024x", "%Y"),
             lambda: time.struct_time((1, 2, 3)), lambda: time.asctime((2020, 1, 1)), lambda: time.gmtime("x"), lambda: time.sleep(-1), lambda: time.sleep(float("nan")), lambda: time.sleep(1e300), lambda: time.sleep(10**30), lambda: time.get_clock_info("x")):
    try:
        call()
    except (ValueError, TypeError, OverflowError) as e:
        print(type(e).__name__, e)
"##;
    let expected = r##"True True True int int float
time.struct_time(tm_year=2001, tm_mon=9, tm_mday=9, tm_hour=1, tm_min=46, tm_sec=40, tm_wday=6, tm_yday=252, tm_isdst=0)
2001 252 GMT 0 9 (2001, 9, 9) True
2001-09-09 01:46:40 Sun Sunday Sep September 252 36 36 36 2001 7 0 01 20  9 09/09/01 01:46:40 2001-09-09 01:46 01 AM Sun Sep  9 01:46:40 2001 09/09/01 01:46:40 %
9| 9|SUN|%Q|% Sun Sep  9 01:46:40 2001 Fri Jan  1 00:00:00 1971 1000000.0
1615507200.0 (1969, 12, 31, 23, 59, 58) 0 0 ('UTC', 'UTC')
time.struct_time(tm_year=2024, tm_mon=3, tm_mday=15, tm_hour=10, tm_min=20, tm_sec=30, tm_wday=4, tm_yday=75, tm_isdst=-1)
time.struct_time(tm_year=2020, tm_mon=1, tm_mday=6, tm_hour=10, tm_min=0, tm_sec=0, tm_wday=0, tm_yday=6, tm_isdst=-1) (2024, 2, 7, 0, 0, 0, 2, 38) (2024, 3, 6, 0, 0, 0, 2, 66)
None True
ValueError month out of range
ValueError 'Q' is a bad directive in format '%Q'
ValueError unconverted data remains: x
TypeError time.struct_time() takes an at least 9-sequence (3-sequence given)
TypeError asctime(): illegal time tuple argument
TypeError 'str' object cannot be interpreted as an integer
ValueError sleep length must be non-negative
ValueError Invalid value NaN (not a number)
OverflowError timestamp out of range for platform time_t
OverflowError timestamp too large to convert to C _PyTime_t
ValueError unknown clock
"##;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn unicodedata_module() {
    let source = r##"import unicodedata as u
print(u.unidata_version, u.category("A"), u.category("1"), u.category(" "), u.category("\u0301"), u.category("日"), u.category("🐍"), u.category("\x00"))
print(u.name("é"), u.name("\u2603"), u.name("日"), u.name("\x00", "none"), u.lookup("LATIN SMALL LETTER A"), u.lookup("snowman"))
print(u.decimal("7"), u.decimal("٣"), u.digit("²"), u.numeric("½"), u.numeric("Ⅻ"), u.numeric("万"), u.numeric("x", -1), u.combining("\u0301"))
for s in ["e\u0301", "ﬁ", "Å", "한국어", "①²"]:
    print([u.normalize(f, s) for f in ("NFC", "NFD", "NFKC", "NFKD")], u.is_normalized("NFC", s))
for call in (lambda: u.lookup("NOPE"), lambda: u.name("\x00"), lambda: u.category("ab"), lambda: u.numeric("a"), lambda: u.digit("½"), lambda: u.normalize("X", "a")):
    try:
        call()
    except (ValueError, TypeError, KeyError) as e:
        print(type(e).__name__, e)
"##;
    let expected = r##"14.0.0 Lu Nd Zs Mn Lo So Cc
LATIN SMALL LETTER E WITH ACUTE SNOWMAN CJK UNIFIED IDEOGRAPH-65E5 none a ☃
7 3 2 0.5 12.0 10000.0 -1 230
['é', 'é', 'é', 'é'] False
['ﬁ', 'ﬁ', 'fi', 'fi'] True
['Å', 'Å', 'Å', 'Å'] True
['한국어', '한국어', '한국어', '한국어'] True
['①²', '①²', '12', '12'] True
KeyError "undefined character name 'NOPE'"
ValueError no such name
TypeError category() argument must be a unicode character, not str
ValueError not a numeric character
ValueError not a digit
ValueError invalid normalization form
"##;
    assert_eq!(common::stdout_of(source), expected);
}
