namespace LlmRouter.Persistence;

/// <summary>Instants as whole microseconds since the Unix epoch: PostgreSQL's clock resolution, exact in 64-bit integers.</summary>
public static class UnixMicros
{
    private const long TicksPerMicro = TimeSpan.TicksPerMillisecond / 1000;

    public static long From(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / TicksPerMicro;

    public static DateTimeOffset ToDateTimeOffset(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TicksPerMicro);
}
