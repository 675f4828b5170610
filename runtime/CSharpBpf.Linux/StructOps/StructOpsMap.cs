using System;
using System.Collections.Generic;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Linux.StructOps;

/// <summary>enum bpf_struct_ops_state.</summary>
public enum StructOpsState : uint { Init = 0, InUse = 1, ToBeFree = 2, Ready = 3 }

/// <summary>
/// A loaded struct_ops map (e.g. a TCP congestion control). <see cref="Register"/> hands it to the
/// kernel (map update, plus a link for .struct_ops.link maps); disposing the registration unregisters it.
/// </summary>
public sealed class StructOpsMap
{
    private readonly Btf _local;
    private readonly IReadOnlyDictionary<string, int> _programFds;
    private StructOpsRegistration? _active;

    internal StructOpsMap(BpfMap map, StructOpsLayout layout, Btf local, IReadOnlyDictionary<string, int> programFds)
    {
        Map = map;
        Layout = layout;
        _local = local;
        _programFds = programFds;
    }

    public BpfMap Map { get; }
    public StructOpsLayout Layout { get; }
    public string Name => Layout.Definition.Name;
    public bool ViaLink => Layout.Definition.ViaLink;
    public bool IsRegistered => _active is { IsDisposed: false };

    public StructOpsRegistration Register()
    {
        if (IsRegistered) throw new InvalidOperationException($"struct_ops '{Name}' is already registered");
        Map.Update(BitConverter.GetBytes(0), Layout.BuildValue(_local, _programFds));
        BpfLink? link = ViaLink ? Attach.StructOps(Map) : null;
        return _active = new StructOpsRegistration(this, link);
    }

    /// <summary>The kernel's view (map lookup of the value): state and program ids per member.</summary>
    public StructOpsState State => (StructOpsState)BitConverter.ToUInt32(ReadValue(), 4);

    /// <summary>Member name → id of the program the kernel has there (the kernel reports ids, not fds, on lookup).</summary>
    public IReadOnlyDictionary<string, uint> ProgramIds()
    {
        var value = ReadValue();
        var ids = new Dictionary<string, uint>();
        foreach (var member in Layout.Definition.Programs.Keys)
        {
            var k = Layout.Members[member];
            ids[member] = (uint)BitConverter.ToUInt64(value, (int)(Layout.DataOffset + k.Offset));
        }
        return ids;
    }

    private byte[] ReadValue() => Map.Lookup(BitConverter.GetBytes(0))
        ?? throw new BpfException($"struct_ops '{Name}' has no value (never registered)");

    internal void Unregister(BpfLink? link)
    {
        if (link is not null) link.Dispose();
        else if (!Map.Fd.IsClosed) Map.Delete(BitConverter.GetBytes(0));
    }
}

/// <summary>A live struct_ops registration; Dispose unregisters (link close, or map delete).</summary>
public sealed class StructOpsRegistration : IDisposable
{
    private readonly StructOpsMap _map;

    internal StructOpsRegistration(StructOpsMap map, BpfLink? link)
    {
        _map = map;
        Link = link;
    }

    public BpfLink? Link { get; }
    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        _map.Unregister(Link);
    }
}
