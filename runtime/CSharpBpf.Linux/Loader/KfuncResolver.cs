using System;
using System.Collections.Generic;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Native;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// Resolves extern kfuncs (FUNCs in .ksyms) and typed ksyms against vmlinux, then module BTF.
/// A module's BTF object fd goes into fd_array; calls carry its slot in the offset field
/// (slot 0 means vmlinux, so slots start at 1).
/// </summary>
public sealed class KfuncResolver : IDisposable
{
    private readonly KernelBtf _kernel;
    private readonly Btf? _local;
    private readonly Dictionary<ModuleBtf, (short Slot, BpfFd Fd)> _modules = new();
    private readonly List<int> _fdArray = new() { 0 };

    public KfuncResolver(KernelBtf kernel, Btf? local)
    {
        _kernel = kernel;
        _local = local;
    }

    /// <summary>fd_array for BPF_PROG_LOAD (index 0 unused), or null when only vmlinux kfuncs are called.</summary>
    public IReadOnlyList<int>? FdArray => _fdArray.Count > 1 ? _fdArray : null;

    public (int BtfId, short FdSlot) ResolveFunction(ExternSymbol ext)
    {
        var found = _kernel.Find(ext.Name, BtfKind.Func)
            ?? throw new BpfException($"kfunc '{ext.Name}' not found in the kernel's BTF (vmlinux{(_kernel.Modules.Count > 0 ? " or modules" : "")}); the kernel does not export it");
        CheckPrototype(ext, found);
        if (found.Module is null) return ((int)found.Type.Id, 0);
        return ((int)found.Type.Id, SlotOf(found.Module));
    }

    public (int BtfId, int BtfObjFd) ResolveVariable(ExternSymbol ext)
    {
        var found = _kernel.Find(ext.Name, BtfKind.Var)
            ?? throw new BpfException($"kernel variable '{ext.Name}' (ksym) not found in the kernel's BTF");
        if (found.Module is null) return ((int)found.Type.Id, 0);
        return ((int)found.Type.Id, _fdArray[SlotOf(found.Module)]);
    }

    private short SlotOf(ModuleBtf module)
    {
        if (!_modules.TryGetValue(module, out var entry))
        {
            var fd = module.OpenFd();
            entry = ((short)_fdArray.Count, fd);
            _fdArray.Add(fd.Value);
            _modules[module] = entry;
        }
        return entry.Slot;
    }

    // libbpf checks the local declaration against the kernel's prototype; a differing parameter count is the error that matters.
    private void CheckPrototype(ExternSymbol ext, KernelType found)
    {
        if (_local is null || ext.LocalBtfId == 0 || _local[ext.LocalBtfId] is not BtfFunc lf) return;
        if (_local[lf.TypeId] is not BtfFuncProto lp) return;
        var kbtf = found.Module?.Btf ?? _kernel.Vmlinux;
        if (kbtf[((BtfFunc)found.Type).TypeId] is not BtfFuncProto kp) return;
        if (lp.Parameters.Count != kp.Parameters.Count)
            throw new BpfException($"kfunc '{ext.Name}': the object declares {lp.Parameters.Count} parameters, the kernel's has {kp.Parameters.Count}");
    }

    public void Dispose()
    {
        foreach (var (_, fd) in _modules.Values) fd.Dispose();
        _modules.Clear();
    }
}
