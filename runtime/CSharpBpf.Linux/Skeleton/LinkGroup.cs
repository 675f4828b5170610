using System;
using System.Collections.Generic;

namespace CSharpBpf.Linux.Skeleton;

/// <summary>
/// Several attachments undone as one (what a skeleton's <c>Attach(cgroup)</c> returns when the class has
/// several programs for that target). Dispose undoes them in reverse order and undoes every one even when
/// one fails (the failures are rethrown together afterwards), so no attachment outlives the group.
/// </summary>
public sealed class LinkGroup : IDisposable
{
    private readonly List<IDisposable> _links = new();
    private bool _disposed;

    public IReadOnlyList<IDisposable> Links => _links;

    /// <summary>Runs each attach in turn; if one throws, the ones already made are undone before the exception leaves.</summary>
    public static LinkGroup Of(params Func<IDisposable>[] attachments)
    {
        var group = new LinkGroup();
        try
        {
            foreach (var attach in attachments) group._links.Add(attach());
            return group;
        }
        catch
        {
            try { group.Dispose(); }
            catch (AggregateException) { /* the attach failure is the one to report */ }
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var errors = new List<Exception>();
        for (int i = _links.Count - 1; i >= 0; i--)
        {
            try { _links[i].Dispose(); }
            catch (Exception e) { errors.Add(e); }
        }
        if (errors.Count > 0) throw new AggregateException("detaching a group of links", errors);
    }
}
