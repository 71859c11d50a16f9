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

    /// <summary>
    /// Walk the <c>(status, id)</c> index down between the window's id bounds, checking time and the other filters: a
    /// window filtered by status whose matches are sparse among its ids but not among that status's calls. A query
    /// without a status filter is walked <see cref="Bounded"/>.
    /// </summary>
    BoundedByStatus,
}
