using System.Globalization;
using System.Runtime.CompilerServices;

namespace LlmRouter.Toml;

/// <summary>A TOML offset date-time, local date-time, local date or local time.</summary>
public sealed class TomlDateTime : TomlValue
{
    private readonly int _fractionDigits;
    private readonly bool _isZulu;

    internal TomlDateTime(TomlPosition position, DateOnly? date, TimeOnly? time, TimeSpan? offset, int fractionDigits, bool isZulu)
        : base(position)
    {
        Date = date;
        Time = time;
        Offset = offset;
        _fractionDigits = fractionDigits;
        _isZulu = isZulu;
        Kind = (date, time, offset) switch
        {
            (_, _, not null) => TomlValueKind.OffsetDateTime,
            (not null, not null, _) => TomlValueKind.LocalDateTime,
            (not null, null, _) => TomlValueKind.LocalDate,
            _ => TomlValueKind.LocalTime,
        };
    }

    /// <inheritdoc />
    public override TomlValueKind Kind { get; }

    /// <summary>The calendar date; null for a local time.</summary>
    public DateOnly? Date { get; }

    /// <summary>The time of day (fraction truncated to 100 ns); null for a local date.</summary>
    public TimeOnly? Time { get; }

    /// <summary>The UTC offset; null unless this is an offset date-time.</summary>
    public TimeSpan? Offset { get; }

    /// <summary>Formats the value in RFC 3339 form, keeping the fractional digits given in the source (at most 7).</summary>
    public string ToRfc3339()
    {
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[40]);
        if (Date is { } date)
        {
            text.AppendFormatted(date, "yyyy'-'MM'-'dd");
            if (Time is not null)
            {
                text.AppendLiteral("T");
            }
        }

        if (Time is { } time)
        {
            text.AppendFormatted(time, "HH':'mm':'ss");
            if (_fractionDigits > 0)
            {
                var fraction = (time.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture);
                text.AppendLiteral(".");
                text.AppendLiteral(fraction[.._fractionDigits]);
            }
        }

        if (Offset is { } offset)
        {
            if (_isZulu)
            {
                text.AppendLiteral("Z");
            }
            else
            {
                text.AppendLiteral(offset < TimeSpan.Zero ? "-" : "+");
                text.AppendFormatted(offset.Duration(), "hh':'mm");
            }
        }

        return text.ToStringAndClear();
    }

    /// <inheritdoc />
    public override string ToString() => ToRfc3339();
}
