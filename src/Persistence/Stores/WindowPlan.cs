namespace LlmRouter.Persistence.Stores;

/// <summary>How a page of the invocation log is read (see <see cref="InvocationStore.ListAsync"/>).</summary>
public enum WindowPlan
{
    /// <summary>Walk the primary key down from the newest call (or before_id), checking every filter: a page without a time window.</summary>
    Newest,

    /// <summary>Read every match of the time window through an index, then sort by id: a window holding few matches.</summary>
    Sorted,

    /// <summary>Walk the primary key down between the window's id bounds (<see cref="InvocationIdBounds"/>), checking time and filters.</summary>
    Bounded,
}
