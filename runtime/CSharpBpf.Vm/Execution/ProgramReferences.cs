using System.Collections.Generic;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Execution;

/// <summary>
/// What a program's 64-bit immediate loads and kfunc calls may refer to, as the kernel's
/// PROG_LOAD sees them: maps by fd (BPF_PSEUDO_MAP_FD/VALUE) and by fd_array index
/// (BPF_PSEUDO_MAP_IDX/IDX_VALUE), kernel symbols by BTF id (BPF_PSEUDO_BTF_ID).
/// </summary>
public sealed class ProgramReferences
{
    public Dictionary<int, BpfMap> MapsByFd { get; } = new();

    /// <summary>The load's fd_array: index -&gt; map.</summary>
    public List<BpfMap> MapsByIndex { get; } = new();

    /// <summary>Kernel symbols (typed ksyms) by BTF id: the address LD_IMM64 with BPF_PSEUDO_BTF_ID yields.</summary>
    public Dictionary<int, ulong> KsymsByBtfId { get; } = new();

    public static ProgramReferences WithMaps(params BpfMap[] maps)
    {
        var refs = new ProgramReferences();
        foreach (var m in maps)
        {
            refs.MapsByFd[m.Fd] = m;
            refs.MapsByIndex.Add(m);
        }
        return refs;
    }
}
