using System;
using System.Collections.Generic;

namespace CSharpBpf.Vm.Helpers;

/// <summary>The five argument registers of a helper or kfunc call and the calling instruction's index.</summary>
public readonly struct HelperArgs
{
    public HelperArgs(ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, int pc)
    {
        R1 = r1; R2 = r2; R3 = r3; R4 = r4; R5 = r5; Pc = pc;
    }

    public ulong R1 { get; }
    public ulong R2 { get; }
    public ulong R3 { get; }
    public ulong R4 { get; }
    public ulong R5 { get; }

    /// <summary>Slot index of the call, for error messages.</summary>
    public int Pc { get; }
}

/// <summary>A helper or kfunc implementation: returns r0.</summary>
public delegate ulong BpfHelper(BpfMachine machine, HelperArgs args);

/// <summary>Helpers by their uapi id (enum bpf_func_id in include/uapi/linux/bpf.h).</summary>
public sealed class HelperTable
{
    private BpfHelper?[] _byId = new BpfHelper?[256];
    private readonly Dictionary<int, string> _names = new();

    public void Register(int id, string name, BpfHelper helper)
    {
        if (id <= 0) throw new ArgumentOutOfRangeException(nameof(id), id, "helper ids start at 1");
        if (id >= _byId.Length) Array.Resize(ref _byId, Math.Max(id + 1, _byId.Length * 2));
        _byId[id] = helper;
        _names[id] = name;
    }

    public bool TryGet(int id, out BpfHelper helper, out string name)
    {
        helper = (uint)id < (uint)_byId.Length ? _byId[id]! : null!;
        name = helper is not null ? _names[id] : "";
        return helper is not null;
    }

    public IReadOnlyDictionary<int, string> Names => _names;

    /// <summary>The task bpf_get_current_pid_tgid describes (settable per machine: <c>host.Machine.Helpers.CurrentTask</c>).</summary>
    public SimulatedTask CurrentTask { get; set; } = new();
}

/// <summary>Kfuncs by BTF id, with their names (the VM assigns ids; loaders resolve extern names through <see cref="IdOf"/>).</summary>
public sealed class KfuncTable
{
    private readonly Dictionary<int, (string Name, BpfHelper Impl)> _byId = new();
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    public void Register(int btfId, string name, BpfHelper impl)
    {
        _byId[btfId] = (name, impl);
        _byName[name] = btfId;
    }

    public bool TryGet(int btfId, out BpfHelper impl, out string name)
    {
        bool ok = _byId.TryGetValue(btfId, out var e);
        impl = e.Impl;
        name = e.Name ?? "";
        return ok;
    }

    /// <summary>The BTF id calls to kfunc <paramref name="name"/> must carry, or null if the VM lacks it.</summary>
    public int? IdOf(string name) => _byName.TryGetValue(name, out int id) ? id : null;
}
