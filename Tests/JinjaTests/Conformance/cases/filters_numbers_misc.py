from _case import case

CASES = [
    case("filter_abs", "{{ -3|abs }}|{{ (-2.5)|abs }}|{{ 4|abs }}|{{ x|abs }}", {"x": -0.0}),
    case("filter_round", "{{ 2.5|round }}|{{ 3.5|round }}|{{ 2.675|round(2) }}|{{ 42|round }}|{{ 1.55|round(1) }}"),
    case("filter_round_methods", "{{ 2.1|round(method='ceil') }}|{{ 2.9|round(method='floor') }}|{{ -2.5|round }}|{{ 12345|round(-2) }}|{{ 2.54|round(1, 'floor') }}"),
    case("filter_round_int", "{{ 2.7|round|int }}"),
    case("filter_int", "{{ '42'|int }}|{{ 3.9|int }}|{{ -3.9|int }}|{{ 'x'|int }}|{{ 'x'|int(7) }}|{{ '0x1A'|int(base=16) }}|{{ '101'|int(base=2) }}|{{ '  12 '|int }}|{{ '3.7'|int }}"),
    case("filter_int_misc", "{{ true|int }}|{{ none|int }}|{{ '1_000'|int }}|{{ '0b11'|int(0, 0) }}"),
    case("filter_float", "{{ '3.5'|float }}|{{ 2|float }}|{{ 'x'|float }}|{{ 'x'|float(1.5) }}|{{ '1e3'|float }}|{{ ' -2 '|float }}"),
    case("filter_filesizeformat", "{{ 0|filesizeformat }}|{{ 1|filesizeformat }}|{{ 1000|filesizeformat }}|{{ 1024|filesizeformat }}|{{ 1500000|filesizeformat }}|{{ 3.5e12|filesizeformat }}"),
    case("filter_filesizeformat_binary", "{{ 1024|filesizeformat(true) }}|{{ 1048576|filesizeformat(binary=true) }}|{{ 1000|filesizeformat(true) }}|{{ 1e30|filesizeformat }}"),
    case("filter_string_of_numbers", "{{ 1|string }}{{ 1.0|string }}{{ 1e20|string }}{{ 1e-7|string }}"),
    case("filter_sum_floats_precision", "{{ [0.1, 0.2, 0.3]|sum }}"),
    case("filter_max_mixed_numbers", "{{ [1, 2.5, 2]|max }}|{{ [1, 1.0]|min }}|{{ [1.0, 1]|min }}"),
    case("filter_default_zero_kept", "{{ 0|default(9) }}|{{ false|default(9) }}"),
    case("filter_format_numbers", "{{ '%5.1f|%-4d|%+d'|format(3.14159, 7, 5) }}"),
    case("filter_count_numbers_in_list", "{{ [1, 2, 3]|count }}"),
    case("filter_wordcount_numbers", "{{ 123|string|wordcount }}"),
    case("filter_abs_bool", "{{ true|abs }}"),
    case("filter_float_inf_nan", "{{ 'inf'|float }}|{{ 'nan'|float }}|{{ '-Infinity'|float }}"),
    case("filter_int_of_float_string_exp", "{{ '1e3'|int }}|{{ 1e3|int }}"),
    case("filter_round_negative_half", "{{ 0.5|round }}|{{ 1.5|round }}|{{ -0.5|round }}|{{ 0.125|round(2) }}"),
]
