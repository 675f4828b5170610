using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using CSharpBpf.Vm.Execution;
using CSharpBpf.Vm.Maps;
using VmMapType = CSharpBpf.Vm.Maps.BpfMapType;

namespace CSharpBpf.Vm.Host;

/// <summary>
/// Loads a <see cref="BpfObjectFile"/> (ELF as clang emits it) into a machine the way libbpf loads
/// it into the kernel: creates the maps and the global-data maps, appends the .text subprograms a
/// program calls, and patches its relocations (map fds, map values, subprogram calls and
/// addresses, kfunc ids by name). CO-RE relocations are not rewritten: the VM's kernel objects use
/// this project's reference kernel layout, which CO-RE offsets compiled from its vmlinux.h match.
/// </summary>
public static class ObjectLoader
{
    public static VmObject Load(BpfMachine machine, BpfObjectFile obj, Func<MapSpec, BpfMap>? createMap = null)
    {
        createMap ??= spec => BpfMap.Create(machine, spec);
        var result = new VmObject { Btf = obj.Btf };
        var mapsByLocation = new Dictionary<(string Section, long Offset), BpfMap>();
        var unsupported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var def in obj.Maps)
        {
            var spec = new MapSpec(def.Name, (VmMapType)(uint)def.Type, (int)def.KeySize, (int)def.ValueSize, (int)def.MaxEntries, def.Flags);
            BpfMap map;
            try
            {
                map = createMap(spec);
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException)
            {
                // Only a program that uses the map fails to load (map-in-map, perf arrays… are not simulated).
                unsupported[def.Name] = e.Message;
                continue;
            }
            result.Maps[def.Name] = map;
            mapsByLocation[(def.SectionName, (long)def.SectionOffset)] = map;
        }
        foreach (var data in obj.DataSections)
        {
            int size = (int)Math.Max(data.Size, 1);
            var map = (ArrayMap)createMap(new MapSpec(data.Name, VmMapType.Array, 4, size, 1, data.IsReadOnly ? MapSpec.ReadOnlyProg : 0));
            if (data.Data.Length > 0) map.Set(0, data.Data.AsSpan(0, Math.Min(data.Data.Length, size)));
            result.Maps[data.Name] = map;
        }

        var text = obj.FindProgramSection(".text");
        foreach (var function in obj.Programs)
        {
            var section = obj.FindProgramSection(function.SectionName)!;
            Instruction[] code;
            try
            {
                code = Link(machine, section, function, text, mapsByLocation, result.Maps, unsupported, out int textBase);
                if (textBase >= 0)
                    result.GlobalFunctionsOf[function.Name] = text!.Functions.Where(f => f.IsGlobal)
                        .ToDictionary(f => f.Name, f => textBase + f.InstructionOffset, StringComparer.Ordinal);
            }
            catch (BpfVmException e)
            {
                result.LoadErrors[function.Name] = e.Message; // as libbpf, one bad program does not hide the others
                continue;
            }
            var refs = new ProgramReferences();
            foreach (var m in result.Maps.Values) { refs.MapsByFd[m.Fd] = m; refs.MapsByIndex.Add(m); }
            var program = machine.Load(code, ProgramTypeOf(section.Name), refs, function.Name);
            result.Programs[function.Name] = program;
            result.SectionOf[function.Name] = section.Name;
        }

        foreach (var def in obj.Maps.Where(d => d.InitialSlots.Count > 0))
            if (result.Maps.TryGetValue(def.Name, out var m) && m is ProgArrayMap progs)
                foreach (var slot in def.InitialSlots)
                    if (result.Programs.TryGetValue(slot.SymbolName, out var p)) progs.Set((uint)slot.Index, p);

        foreach (var ops in obj.StructOps)
        {
            var members = new Dictionary<string, VmProgram>(StringComparer.Ordinal);
            foreach (var member in ops.FunctionMembers)
                if (result.Programs.TryGetValue(member.ProgramName, out var p)) members[member.MemberName] = p;
            result.StructOps[ops.Name] = members;
        }
        return result;
    }

    /// <summary>The section's program type by libbpf's section naming.</summary>
    public static ProgramType ProgramTypeOf(string section)
    {
        string kind = section.Split('/')[0];
        return kind switch
        {
            "xdp" => ProgramType.Xdp,
            "socket" => ProgramType.SocketFilter,
            "tc" or "classifier" or "tcx" => ProgramType.SchedCls,
            "cgroup_skb" => ProgramType.CgroupSkb,
            "sockops" => ProgramType.SockOps,
            "struct_ops" or "struct_ops.s" => ProgramType.StructOps,
            "raw_tp" or "raw_tracepoint" => ProgramType.RawTracepoint,
            "tp_btf" or "fentry" or "fexit" or "fmod_ret" => ProgramType.Tracing,
            "freplace" => ProgramType.Extension,
            "cgroup" when section.EndsWith("/sysctl", StringComparison.Ordinal) => ProgramType.CgroupSysctl,
            "cgroup" when section.EndsWith("sockopt", StringComparison.Ordinal) => ProgramType.CgroupSockopt,
            _ => ProgramType.Unspecified,
        };
    }

    private static Instruction[] Link(BpfMachine machine, BpfProgramSection section, BpfFunction function,
        BpfProgramSection? text, Dictionary<(string, long), BpfMap> mapsByLocation, Dictionary<string, BpfMap> maps,
        Dictionary<string, string> unsupported, out int linkedTextBase)
    {
        int start = function.InstructionOffset, count = function.InstructionCount;
        var own = section.Relocations.Where(r => r.InstructionIndex >= start && r.InstructionIndex < start + count).ToList();
        bool needsText = text is not null && section != text &&
            (own.Any(r => r.TargetSectionName == BpfSectionNames.Text && r.Kind is BpfRelocationKind.SubprogramCall or BpfRelocationKind.SubprogramAddress));
        var code = new List<Instruction>(section.Instructions.Skip(start).Take(count));
        int textBase = code.Count;
        if (needsText) code.AddRange(text!.Instructions);
        linkedTextBase = needsText ? textBase : -1;

        int Absolute(string targetSection, long slot) =>
            targetSection == section.Name ? (int)slot - start
            : targetSection == BpfSectionNames.Text && needsText ? textBase + (int)slot
            : throw new BpfVmException(VmErrorKind.UnresolvedReference, -1, $"'{function.Name}' refers to {targetSection}+{slot}, which it does not contain");

        void Patch(BpfInstructionRelocation r, int at)
        {
            var insn = code[at];
            switch (r.Kind)
            {
                case BpfRelocationKind.Map:
                    if (unsupported.TryGetValue(r.SymbolName, out var why))
                        throw new BpfVmException(VmErrorKind.UnresolvedReference, at, $"'{function.Name}' uses map '{r.SymbolName}': {why}");
                    if (!mapsByLocation.TryGetValue((r.TargetSectionName, r.TargetOffset), out var map) && !maps.TryGetValue(r.SymbolName, out map))
                        throw new BpfVmException(VmErrorKind.UnresolvedReference, at, $"'{function.Name}' uses map '{r.SymbolName}', which the object does not define");
                    code[at] = insn.WithSrc((byte)PseudoSource.MapFd).WithImm(map.Fd);
                    break;
                case BpfRelocationKind.GlobalData:
                    if (!maps.TryGetValue(r.TargetSectionName, out var data))
                        throw new BpfVmException(VmErrorKind.UnresolvedReference, at, $"'{function.Name}' uses data section '{r.TargetSectionName}', which the object lacks");
                    code[at] = insn.WithSrc((byte)PseudoSource.MapValue).WithImm(data.Fd);
                    code[at + 1] = code[at + 1].WithImm((int)r.TargetOffset);
                    break;
                case BpfRelocationKind.SubprogramCall:
                    code[at] = insn.WithImm(Absolute(r.TargetSectionName, r.TargetOffset) - (at + 1));
                    break;
                case BpfRelocationKind.SubprogramAddress:
                    code[at] = insn.WithSrc((byte)PseudoSource.Func).WithImm(Absolute(r.TargetSectionName, r.TargetOffset) - (at + 1));
                    break;
                case BpfRelocationKind.KfuncCall:
                    int id = machine.Kfuncs.IdOf(r.SymbolName)
                        ?? throw new BpfVmException(VmErrorKind.UnresolvedReference, at, $"kfunc '{r.SymbolName}' is not provided by the VM");
                    code[at] = insn.WithSrc((byte)CallKind.Kfunc).WithImm(id);
                    break;
                default:
                    // typed ksyms and kconfig externs: no value in the VM; the load stays as compiled (0)
                    break;
            }
        }

        foreach (var r in own) Patch(r, r.InstructionIndex - start);
        if (needsText)
            foreach (var r in text!.Relocations)
            {
                // .text relocations are relative to .text; calls inside .text to .text are pc-relative already
                if (r.Kind == BpfRelocationKind.SubprogramCall && r.TargetSectionName == BpfSectionNames.Text) continue;
                PatchText(r);
            }
        return code.ToArray();

        void PatchText(BpfInstructionRelocation r)
        {
            int at = textBase + r.InstructionIndex;
            if (r.Kind is BpfRelocationKind.SubprogramAddress && r.TargetSectionName == BpfSectionNames.Text)
            {
                code[at] = code[at].WithSrc((byte)PseudoSource.Func).WithImm(textBase + (int)r.TargetOffset - (at + 1));
                return;
            }
            Patch(r, at);
        }
    }
}
