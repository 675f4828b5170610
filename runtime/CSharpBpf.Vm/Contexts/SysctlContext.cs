using System;
using System.Text;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// A cgroup/sysctl program's input: struct bpf_sysctl (write, file_pos; file_pos writable) plus
/// what the sysctl helpers read: the name ("net/ipv4/tcp_mem", as the kernel spells it without
/// /proc/sys/), the current value and, for writes, the new value (which bpf_sysctl_set_new_value
/// may replace). Return 1 allows the access, 0 rejects it with EPERM.
/// </summary>
public sealed class SysctlContext : ProgramContext
{
    private readonly ContextMemory _sysctl = new(8);
    private MemoryRegion? _ctx;

    public SysctlContext(string name, string currentValue, string? newValue = null, uint filePos = 0)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        CurrentValue = Encoding.ASCII.GetBytes(currentValue);
        Write = newValue is not null;
        NewValue = newValue is null ? null : Encoding.ASCII.GetBytes(newValue);
        _sysctl.SetU32(0, Write ? 1u : 0u);
        _sysctl.SetU32(4, filePos);
        _sysctl.Writable(4, 4);
    }

    public string Name { get; }
    public string BaseName => Name.Substring(Name.LastIndexOf('/') + 1);
    public byte[] CurrentValue { get; }
    public bool Write { get; }

    /// <summary>The value being written (after the run: as the program left it).</summary>
    public byte[]? NewValue { get; internal set; }

    public string? NewValueText => NewValue is null ? null : Encoding.ASCII.GetString(NewValue);

    public bool NewValueUpdated { get; internal set; }

    public uint FilePos => _sysctl.U32(4);

    internal override ContextMemory? FastContext => _sysctl;

    public override ulong Attach(BpfMachine machine)
    {
        _ctx = machine.Memory.AddVirtual("bpf_sysctl", RegionKind.Context, 8, _sysctl);
        _sysctl.Bind(_ctx);
        return _ctx.Address;
    }

    public override void Detach(BpfMachine machine)
    {
        if (_ctx is not null) machine.Memory.Remove(_ctx);
        _ctx = null;
    }
}
