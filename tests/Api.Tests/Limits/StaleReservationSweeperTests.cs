using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using LlmRouter.Grains.Limits;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.Api.Tests.Limits;

/// <summary>The sweeper releases, on a real SQLite store, exactly the reservations older than its call age.</summary>
public sealed class StaleReservationSweeperTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 5, 6, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_reservation_is_released_once_it_is_older_than_the_call_age_in_as_many_batches_as_needed()
    {
        await using var database = new SqliteDatabase(_directory.File("limits.db"));
        await database.MigrateAsync();
        var store = new SqliteLimitStore(database, _clock);
        var sweeper = new StaleReservationSweeper(store, _clock, NullLogger<StaleReservationSweeper>.Instance);
        var count = StaleReservationSweeper.BatchSize + 1;
        for (var i = 0; i < count; i++)
        {
            var request = new ReservationRequest(Guid.NewGuid().ToString("N"), [], new BudgetCharge("key", BudgetPeriod.Month, long.MaxValue / 2, 7));
            Assert.True((await store.ReserveAsync(request)).Admitted);
        }

        _clock.Advance(StaleReservationSweeper.MaxCallAge - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(7L * count, (await store.GetBudgetAsync("key", BudgetPeriod.Month)).ReservedNanoUsd);

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(count, await sweeper.SweepAsync());
        var budget = await store.GetBudgetAsync("key", BudgetPeriod.Month);
        Assert.Equal(7L * count, budget.SpentNanoUsd);
        Assert.Equal(0, budget.ReservedNanoUsd);
        Assert.Equal(0, await sweeper.SweepAsync());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
