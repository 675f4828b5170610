using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Linux.Core;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Linux.StructOps;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;

namespace CSharpBpf.Linux.Loader;

/// <summary>libbpf's load phase: BTF → maps → programs (linked, CO-RE-relocated, kfuncs resolved) → initial slots → struct_ops.</summary>
internal static class ObjectLoader
{
    public static BpfObject Load(ObjectSpec spec, LoadOptions o)
    {
        var obj = new BpfObject(spec);
        var kernel = new Lazy<KernelBtf>(() => o.Kernel ?? KernelBtf.Running);
        KfuncResolver? kfuncs = null;
        try
        {
            Dictionary<string, uint>? strings = null;
            if (spec.Btf is not null)
            {
                var written = BtfWriter.Write(spec.Btf, spec.BtfExt ?? new BtfExt());
                var bytes = BtfSanitizer.Sanitize(written.Btf, o.Features ?? BtfFeatures.Running);
                obj.BtfFd = BtfLoader.Load(bytes);
                obj.Owned.Add(obj.BtfFd);
                strings = StringOffsets(bytes);
            }

            var layouts = new Dictionary<string, StructOpsLayout>();
            foreach (var d in spec.StructOps) layouts[d.Name] = StructOpsLayout.Resolve(d, spec.Btf!, kernel.Value);
            var moduleFds = new Dictionary<ModuleBtf, BpfFd>();
            int ModuleFd(ModuleBtf? m)
            {
                if (m is null) return 0;
                if (!moduleFds.TryGetValue(m, out var fd))
                {
                    fd = m.OpenFd();
                    moduleFds[m] = fd;
                    obj.Owned.Add(fd);
                }
                return fd.Value;
            }

            foreach (var def in spec.Maps)
            {
                layouts.TryGetValue(def.Name, out var layout);
                var map = MapCreator.Create(def, obj.BtfFd, o, def.Kind == MapKind.StructOps ? layout : null, layout is null ? 0 : ModuleFd(layout.Module));
                obj.Owned.Add(map);
                obj.MapsByName[def.Name] = map;
            }

            kfuncs = new KfuncResolver(spec.Externs.Values.Any(e => !e.IsKconfig) ? kernel.Value : new KernelBtf(new Btf(), Array.Empty<ModuleBtf>()), spec.Btf);
            var linker = new ProgramLinker(spec, d => obj.MapsByName[d.Name].Fd.Value, kfuncs.ResolveFunction, kfuncs.ResolveVariable);
            foreach (var fn in spec.Programs)
            {
                if (o.SkipPrograms.Contains(fn.Name)) continue;
                var owner = layouts.Values.FirstOrDefault(l => l.Definition.Programs.ContainsValue(fn.Name));
                if (fn.Kind!.Type == BpfProgramType.StructOps && owner is null) continue; // libbpf: unused struct_ops programs are not loaded
                var prog = LoadProgram(spec, fn, linker, kfuncs, kernel, owner, o, obj, strings, ModuleFd);
                obj.Owned.Add(prog);
                obj.ProgramsByName[fn.Name] = prog;
            }

            FillInitialSlots(spec, obj);

            foreach (var (name, layout) in layouts)
            {
                var fds = layout.Definition.Programs.Values.Distinct().ToDictionary(p => p, p => obj.Program(p).Fd.Value);
                obj.StructOpsByName[name] = new StructOpsMap(obj.MapsByName[name], layout, spec.Btf!, fds);
            }
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
        finally
        {
            kfuncs?.Dispose();
        }
    }

    private static BpfProgram LoadProgram(ObjectSpec spec, FunctionSpec fn, ProgramLinker linker, KfuncResolver kfuncs, Lazy<KernelBtf> kernel,
        StructOpsLayout? owner, LoadOptions o, BpfObject obj, Dictionary<string, uint>? strings, Func<ModuleBtf?, int> moduleFd)
    {
        var linked = linker.Link(fn);
        obj.Linked[fn.Name] = linked;
        if (linked.CoreRelos.Count > 0) KernelCore.Relocate(linked, spec.Btf!, kernel.Value);

        var kind = fn.Kind!;
        uint attachBtfId = 0;
        int attachFd = 0;
        var expected = kind.ExpectedAttachType;
        if (owner is not null)
        {
            string member = owner.Definition.Programs.First(p => p.Value == fn.Name).Key;
            var m = owner.Members[member];
            attachBtfId = owner.Ops.Type.Id;
            expected = (BpfAttachType)m.Index;
            attachFd = moduleFd(owner.Module);
        }
        else if (kind.NeedsKernelAttachBtf)
        {
            var (name, btfKind) = kind.ExpectedAttachType switch
            {
                BpfAttachType.TraceRawTp => ("btf_trace_" + kind.AttachTo, BtfKind.Typedef),
                BpfAttachType.LsmMac => ("bpf_lsm_" + kind.AttachTo, BtfKind.Func),
                _ => (kind.AttachTo!, BtfKind.Func),
            };
            var target = kernel.Value.Find(name, btfKind)
                ?? throw new BpfException($"program '{fn.Name}' ({fn.SectionName}): the kernel has no {btfKind} '{name}' to attach to");
            attachBtfId = target.Type.Id;
            attachFd = moduleFd(target.Module);
        }
        else if (kind.Type == BpfProgramType.Ext)
        {
            if (!o.ExtensionTargets.TryGetValue(fn.Name, out var t))
                throw new BpfException($"freplace program '{fn.Name}' needs LoadOptions.ExtensionTargets[\"{fn.Name}\"] (the program and function to replace)");
            attachBtfId = t.FunctionBtfId;
            attachFd = t.Program.Fd.Value;
        }

        var load = new ProgramLoadSpec
        {
            Name = fn.Name,
            Type = kind.Type,
            Instructions = linked.Instructions,
            License = spec.License.Length > 0 ? spec.License : "GPL",
            ExpectedAttachType = expected,
            BtfFd = obj.BtfFd?.Value ?? 0,
            FuncInfo = obj.BtfFd is null ? null : FuncInfoBytes(linked),
            LineInfo = obj.BtfFd is null || strings is null ? null : LineInfoBytes(linked, strings),
            SourceLines = linked.SourceLines(),
            AttachBtfId = attachBtfId,
            AttachBtfObjOrProgFd = attachFd,
            FdArray = kfuncs.FdArray,
        };
        try
        {
            var prog = BpfProgram.Load(load);
            prog.AttachTo = kind.AttachTo;
            prog.SectionName = fn.SectionName;
            return prog;
        }
        catch (BpfProgramLoadException e) when (linked.PoisonedRelocations.Count > 0 && e.VerifierLog.Contains(CorePatcher.PoisonHelperId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            throw new CoreRelocationException($"program '{fn.Name}' uses what the kernel does not have: "
                + string.Join("; ", linked.PoisonedRelocations.Select(p => $"instruction {p.Key}: {p.Value}")), e);
        }
    }

    private static byte[]? FuncInfoBytes(LinkedProgram p)
    {
        if (p.FuncInfos.Count == 0) return null;
        var b = new List<byte>();
        foreach (var (i, r) in p.FuncInfos.OrderBy(x => x.Index))
        {
            b.AddRange(BitConverter.GetBytes((uint)i));
            b.AddRange(BitConverter.GetBytes(r.TypeId));
        }
        return b.ToArray();
    }

    private static byte[]? LineInfoBytes(LinkedProgram p, Dictionary<string, uint> strings)
    {
        if (p.LineInfos.Count == 0) return null;
        var b = new List<byte>();
        foreach (var (i, r) in p.LineInfos.OrderBy(x => x.Index))
        {
            b.AddRange(BitConverter.GetBytes((uint)i));
            b.AddRange(BitConverter.GetBytes(strings.TryGetValue(r.FileName, out var f) ? f : 0u));
            b.AddRange(BitConverter.GetBytes(strings.TryGetValue(r.LineText, out var l) ? l : 0u));
            b.AddRange(BitConverter.GetBytes(r.Line << 10 | Math.Min(r.Column, 0x3ffu)));
        }
        return b.ToArray();
    }

    /// <summary>string → offset in the string section of encoded BTF (line_info refers to strings by offset).</summary>
    internal static Dictionary<string, uint> StringOffsets(byte[] btf)
    {
        int hdr = (int)BitConverter.ToUInt32(btf, 4);
        int strOff = (int)BitConverter.ToUInt32(btf, 16), strLen = (int)BitConverter.ToUInt32(btf, 20);
        int start = hdr + strOff;
        var map = new Dictionary<string, uint>(StringComparer.Ordinal);
        int i = 0;
        while (i < strLen)
        {
            int end = Array.IndexOf(btf, (byte)0, start + i, strLen - i);
            if (end < 0) end = start + strLen;
            string s = Encoding.UTF8.GetString(btf, start + i, end - start - i);
            if (!map.ContainsKey(s)) map[s] = (uint)i;
            i = end - start + 1;
        }
        return map;
    }

    private static void FillInitialSlots(ObjectSpec spec, BpfObject obj)
    {
        foreach (var def in spec.Maps.Where(m => m.InitialSlots.Count > 0))
        {
            var map = obj.MapsByName[def.Name];
            foreach (var (slot, name) in def.InitialSlots)
            {
                int fd = obj.ProgramsByName.TryGetValue(name, out var p) ? p.Fd.Value
                    : obj.MapsByName.TryGetValue(name, out var inner) ? inner.Fd.Value
                    : throw new BpfException($"map '{def.Name}' slot {slot} refers to '{name}', which is neither a loaded program nor a map");
                map.Update(BitConverter.GetBytes(slot), BitConverter.GetBytes(fd));
            }
        }
    }
}
