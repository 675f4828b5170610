using System;
using System.IO;
using System.Linq;

namespace CSharpBpf.Linux.Cgroups;

/// <summary>Finds the cgroup v2 hierarchy (a "cgroup2" mount: /sys/fs/cgroup on unified systems, /sys/fs/cgroup/unified on hybrid ones).</summary>
public static class CgroupV2
{
    private static readonly Lazy<string?> LazyRoot = new(FindRoot);

    /// <summary>Mount point of cgroup2, or null when it is not mounted.</summary>
    public static string? Root => LazyRoot.Value;

    public static string RequireRoot() => Root ?? throw new BpfException("cgroup v2 is not mounted (no 'cgroup2' entry in /proc/self/mounts)");

    private static string? FindRoot()
    {
        if (!File.Exists("/proc/self/mounts")) return null;
        return File.ReadAllLines("/proc/self/mounts")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 2 && f[2] == "cgroup2")
            .Select(f => f[1])
            .FirstOrDefault();
    }

    /// <summary>The cgroup v2 directory this process is in (from the "0::" line of /proc/self/cgroup).</summary>
    public static string CurrentCgroupOf(int pid = 0)
    {
        string file = pid == 0 ? "/proc/self/cgroup" : $"/proc/{pid}/cgroup";
        var line = File.ReadAllLines(file).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))
            ?? throw new BpfException($"{file} has no cgroup v2 entry");
        return Path.Combine(RequireRoot(), line.Substring(3).TrimStart('/'));
    }
}

/// <summary>
/// A child cgroup created for the duration of a scope; Dispose moves any processes it holds
/// back to the parent and removes the directory.
/// </summary>
public sealed class TemporaryCgroup : IDisposable
{
    public TemporaryCgroup(string? parent = null, string? name = null)
    {
        Parent = parent ?? CgroupV2.RequireRoot();
        Path = System.IO.Path.Combine(Parent, name ?? "csbpf-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        Directory.CreateDirectory(Path);
    }

    public string Parent { get; }
    public string Path { get; }

    /// <summary>Moves a process (all its threads) into this cgroup.</summary>
    public void Add(int pid) => File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Moves this process into the cgroup until the returned scope is disposed (then back to where it was).</summary>
    public IDisposable Enter()
    {
        string previous = CgroupV2.CurrentCgroupOf();
        Add(Environment.ProcessId);
        return new Scope(() => File.WriteAllText(System.IO.Path.Combine(previous, "cgroup.procs"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose()
    {
        string procs = System.IO.Path.Combine(Path, "cgroup.procs");
        if (!Directory.Exists(Path)) return;
        foreach (var pid in File.ReadAllLines(procs).Where(l => l.Length > 0))
        {
            try { File.WriteAllText(System.IO.Path.Combine(Parent, "cgroup.procs"), pid); }
            catch (IOException) { /* the process exited meanwhile */ }
        }
        Directory.Delete(Path);
    }

    private sealed class Scope : IDisposable
    {
        private Action? _undo;
        public Scope(Action undo) => _undo = undo;
        public void Dispose()
        {
            _undo?.Invoke();
            _undo = null;
        }
    }
}
