using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using CSharpBpf.Linux.Native;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Linux.KernelTypes;

/// <summary>A kernel module's split BTF and how to get a kernel fd for its BTF object (for fd_array and value_type_btf_obj_fd).</summary>
public sealed class ModuleBtf
{
    public ModuleBtf(string name, BtfModel btf, Func<BpfFd> openFd)
    {
        Name = name;
        Btf = btf;
        OpenFd = openFd;
    }

    public string Name { get; }
    public BtfModel Btf { get; }
    public Func<BpfFd> OpenFd { get; }
}

/// <summary>A type found in the kernel's BTF: in vmlinux (Module null) or in a module's split BTF.</summary>
public readonly record struct KernelType(BtfType Type, ModuleBtf? Module)
{
    public BtfModel Btf(KernelBtf k) => Module?.Btf ?? k.Vmlinux;
}

/// <summary>
/// The running kernel's BTF: /sys/kernel/btf/vmlinux plus every module's split BTF under
/// /sys/kernel/btf/. Read once per process (vmlinux is megabytes). Tests build synthetic sets.
/// </summary>
public sealed class KernelBtf
{
    private static readonly Lazy<KernelBtf> LazyRunning = new(ReadRunning);

    private readonly Lazy<IReadOnlyList<ModuleBtf>> _modules;
    private CoreTargetBtf? _coreTarget;

    public KernelBtf(BtfModel vmlinux, IReadOnlyList<ModuleBtf> modules)
    {
        Vmlinux = vmlinux;
        _modules = new Lazy<IReadOnlyList<ModuleBtf>>(() => modules);
    }

    private KernelBtf(BtfModel vmlinux, Func<IReadOnlyList<ModuleBtf>> modules)
    {
        Vmlinux = vmlinux;
        _modules = new Lazy<IReadOnlyList<ModuleBtf>>(modules);
    }

    public static KernelBtf Running => LazyRunning.Value;

    public BtfModel Vmlinux { get; }
    /// <summary>Module BTFs, read on first use (only when vmlinux lacks what is looked for).</summary>
    public IReadOnlyList<ModuleBtf> Modules => _modules.Value;

    /// <summary>This kernel as a CO-RE target: vmlinux, then the modules (read only if vmlinux has no candidate).</summary>
    public CoreTargetBtf CoreTarget => _coreTarget ??= new CoreTargetBtf(Vmlinux, ModuleBtfs());

    private IEnumerable<BtfModel> ModuleBtfs()
    {
        // An iterator: Modules (and so the module files) are read on the first enumeration, not here.
        foreach (var m in Modules) yield return m.Btf;
    }

    /// <summary>Modules whose BTF could not be read (name and why); they are left out rather than failing every load.</summary>
    public List<string> SkippedModules { get; } = new();

    /// <summary>All BTFs to search, vmlinux first (as libbpf: a vmlinux match wins over modules).</summary>
    public IEnumerable<(BtfModel Btf, ModuleBtf? Module)> All()
    {
        yield return (Vmlinux, null);
        foreach (var m in Modules) yield return (m.Btf, m);
    }

    /// <summary>The first type of that name and kind in vmlinux, then in modules; null when absent.</summary>
    public KernelType? Find(string name, BtfKind kind)
    {
        foreach (var (btf, module) in All())
        {
            // Split BTF lookups also see the base; only take a module's own types here.
            var t = btf.Find(name, kind);
            if (t is null) continue;
            if (module is not null && t.Id < btf.FirstId) continue;
            return new KernelType(t, module);
        }
        return null;
    }

    private static KernelBtf ReadRunning()
    {
        const string dir = "/sys/kernel/btf";
        var vmlinux = BtfReader.Read(File.ReadAllBytes(Path.Combine(dir, "vmlinux")));
        KernelBtf? result = null;
        result = new KernelBtf(vmlinux, () =>
        {
            var modules = new List<ModuleBtf>();
            foreach (var path in Directory.GetFiles(dir))
            {
                string name = Path.GetFileName(path);
                if (name == "vmlinux") continue;
                try
                {
                    var btf = BtfReader.Read(File.ReadAllBytes(path), vmlinux);
                    modules.Add(new ModuleBtf(name, btf, () => OpenKernelBtfObject(name)));
                }
                catch (Object.BpfFormatException e)
                {
                    result!.SkippedModules.Add($"{name}: {e.Message}");
                }
            }
            return modules;
        });
        return result;
    }

    /// <summary>Finds the kernel BTF object named <paramref name="name"/> (a module) by id and opens it.</summary>
    public static unsafe BpfFd OpenKernelBtfObject(string name)
    {
        foreach (uint id in ObjectInfo.BtfIds())
        {
            var fd = ObjectInfo.FdById(BpfCommand.BtfGetFdById, id);
            if (fd is null) continue;
            var nameBuf = new byte[64];
            var info = new byte[32];
            fixed (byte* pn = nameBuf)
            {
                BitConverter.GetBytes((ulong)pn).CopyTo(info, 16);
                BitConverter.GetBytes((uint)nameBuf.Length).CopyTo(info, 24);
                ObjectInfo.Get(fd.Value, info, "BTF id " + id);
            }
            bool kernel = BitConverter.ToUInt32(info, 28) != 0;
            int n = Array.IndexOf(nameBuf, (byte)0);
            if (kernel && Encoding.ASCII.GetString(nameBuf, 0, n < 0 ? nameBuf.Length : n) == name) return fd;
            fd.Dispose();
        }
        throw new BpfException($"no kernel BTF object named '{name}' (is the module loaded?)");
    }
}
