using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Compiler.Frontend;
using static CSharpBpf.Generator.SkeletonKinds;

namespace CSharpBpf.Generator;

/// <summary>
/// Writes the kernel entry points into a skeleton (only when the compilation references CSharpBpf.Linux):
/// <c>LoadKernel(options)</c> returning the nested <c>KernelInstance</c> with typed <c>Maps</c>, <c>Programs</c>
/// whose <c>Attach</c> matches their kind, and the object-wide attach of what the class holds: <c>Register()</c>
/// for struct_ops, <c>Attach(cgroupPath)</c> for cgroup programs, <c>AttachXdp(ifindex)</c> for a single XDP
/// program, <c>AttachTracing()</c> for raw_tp/tp_btf/fentry/fexit. Everything attached is undone by disposing
/// what was returned; disposing the instance releases the object (and any struct_ops still registered).
/// </summary>
internal static class KernelEntryPoints
{
    private const string Options = "global::CSharpBpf.Linux.Loader.LoadOptions";
    private const string Flags = "global::CSharpBpf.Linux.Programs.CgroupAttachFlags";
    private const string BeforeLoad = "global::System.Action<global::CSharpBpf.Linux.Loader.ObjectSpec>";

    public static void Write(StringBuilder sb, CompiledBpfClass c, string self)
    {
        var structOps = StructOpsNames(c);
        var cgroup = c.Programs.Where(IsCgroup).ToList();
        var xdp = c.Programs.Where(p => p.Kind == "Xdp").ToList();
        var tracing = c.Programs.Where(IsTracing).ToList();
        var extensions = c.Programs.Where(IsExtension).ToList();

        sb.AppendLine();
        sb.AppendLine("    /// <summary>Loads this object into the running kernel (its verifier checks every program); needs CAP_BPF. Dispose releases it.</summary>");
        sb.AppendLine("    /// <summary>Loads the class into the kernel. <paramref name=\"beforeLoad\"/> sees the object before its maps and programs are created: set globals there (<c>spec.SetGlobal(\"Limit\", 100u)</c>), including <c>static readonly</c> ones the verifier then treats as constants.</summary>");
        sb.Append("    public static KernelInstance LoadKernel(").Append(Options).Append("? options = null, ").Append(BeforeLoad).AppendLine("? beforeLoad = null) => new KernelInstance(options, beforeLoad);");
        if (extensions.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("    /// <summary>Loads the extensions of this class against <paramref name=\"target\"/> (the loaded program whose global functions they replace); attach them with Programs.&lt;Name&gt;.Attach(target).</summary>");
            sb.Append("    public static KernelInstance LoadKernel(global::CSharpBpf.Linux.Programs.BpfProgram target, ").Append(Options).Append("? options = null, ").Append(BeforeLoad).AppendLine("? beforeLoad = null)");
            sb.AppendLine("    {");
            sb.AppendLine("        if (target is null) throw new global::System.ArgumentNullException(nameof(target));");
            sb.AppendLine("        var targets = new global::System.Collections.Generic.Dictionary<string, global::CSharpBpf.Linux.Loader.ExtensionTarget>();");
            sb.AppendLine("        if (options is not null) foreach (var t in options.ExtensionTargets) targets[t.Key] = t.Value;");
            foreach (var p in extensions)
                sb.Append("        targets[").Append(Literal(p.Name)).Append("] = global::CSharpBpf.Linux.Skeleton.KernelExtensionProgram.TargetIn(target, ")
                  .Append(Literal(ReplacedFunction(p))).AppendLine(");");
            sb.Append("        return new KernelInstance((options ?? new ").Append(Options).AppendLine("()) with { ExtensionTargets = targets }, beforeLoad);");
            sb.AppendLine("    }");
        }
        sb.AppendLine();
        sb.Append("    /// <summary>").Append(c.ClassName).AppendLine(" loaded into the kernel: typed maps, programs with the Attach of their kind.</summary>");
        sb.AppendLine("    public sealed class KernelInstance : global::System.IDisposable");
        sb.AppendLine("    {");
        sb.Append("        internal KernelInstance(").Append(Options).Append("? options, ").Append(BeforeLoad).AppendLine("? beforeLoad)");
        sb.AppendLine("        {");
        sb.Append("            var spec = global::CSharpBpf.Linux.Loader.ObjectSpec.Read(")
          .Append(self).Append(".BpfObject.GetElfBytes(), ").Append(Literal(c.ClassName)).AppendLine(");");
        sb.AppendLine("            beforeLoad?.Invoke(spec);");
        sb.AppendLine("            Object = global::CSharpBpf.Linux.Loader.BpfObject.Load(spec, options);");
        sb.AppendLine("            Maps = new KernelMaps(Object);");
        sb.AppendLine("            Programs = new KernelPrograms(Object);");
        sb.AppendLine("        }");
        sb.AppendLine();
        sb.AppendLine("        /// <summary>The loaded object (maps and programs by name, globals, struct_ops, BTF).</summary>");
        sb.AppendLine("        public global::CSharpBpf.Linux.Loader.BpfObject Object { get; }");
        sb.AppendLine();
        sb.AppendLine("        public KernelMaps Maps { get; }");
        sb.AppendLine();
        sb.AppendLine("        public KernelPrograms Programs { get; }");

        if (structOps.Count == 1)
        {
            string name = Literal(structOps[0]);
            sb.AppendLine();
            sb.Append("        /// <summary>The struct_ops map ").Append(name).AppendLine(" (state, program ids).</summary>");
            sb.Append("        public global::CSharpBpf.Linux.StructOps.StructOpsMap StructOps => Object.StructOps[").Append(name).AppendLine("];");
            sb.AppendLine();
            sb.Append("        /// <summary>Registers struct_ops ").Append(name)
              .AppendLine(" with the kernel (e.g. a TCP congestion control sockets can then select); Dispose unregisters (so does disposing this instance).</summary>");
            sb.AppendLine("        public global::CSharpBpf.Linux.StructOps.StructOpsRegistration Register() => Object.RegisterStructOps()[0];");
        }
        if (cgroup.Count > 0)
        {
            sb.AppendLine();
            sb.Append("        /// <summary>Attaches ").Append(Names(cgroup)).AppendLine(" to the cgroup v2 directory, each at the hook its section names; Dispose detaches.</summary>");
            sb.Append("        public global::System.IDisposable Attach(string cgroupPath, ").Append(Flags).Append(" flags = ").Append(Flags).AppendLine(".AllowMulti) =>");
            sb.Append("            ").Append(Group(cgroup.Select(p => $"Programs.{Identifier(p.Name)}.Attach(cgroupPath, flags)").ToList())).AppendLine(";");
        }
        if (xdp.Count == 1)
        {
            string prog = "Programs." + Identifier(xdp[0].Name);
            sb.AppendLine();
            sb.Append("        /// <summary>Attaches ").Append(xdp[0].Name).AppendLine(" to the interface through an XDP link; Dispose detaches.</summary>");
            sb.Append("        public global::CSharpBpf.Linux.Links.BpfLink AttachXdp(int ifindex, uint xdpFlags = 0) => ").Append(prog).AppendLine(".Attach(ifindex, xdpFlags);");
            sb.AppendLine();
            sb.Append("        public global::CSharpBpf.Linux.Links.BpfLink AttachXdp(string interfaceName, uint xdpFlags = 0) => ").Append(prog).AppendLine(".Attach(interfaceName, xdpFlags);");
        }
        if (tracing.Count > 0)
        {
            sb.AppendLine();
            sb.Append("        /// <summary>Attaches ").Append(Names(tracing)).AppendLine(" to the tracepoints/functions their sections name; Dispose detaches.</summary>");
            sb.Append("        public global::System.IDisposable AttachTracing() => ")
              .Append(Group(tracing.Select(p => $"Programs.{Identifier(p.Name)}.Attach()").ToList())).AppendLine(";");
        }
        sb.AppendLine();
        sb.AppendLine("        public void Dispose() => Object.Dispose();");

        sb.AppendLine();
        sb.AppendLine("        /// <summary>The maps of this object in the kernel, typed as the class declares them.</summary>");
        sb.AppendLine("        public sealed class KernelMaps");
        sb.AppendLine("        {");
        sb.AppendLine("            private readonly global::CSharpBpf.Linux.Loader.BpfObject _object;");
        sb.AppendLine();
        sb.AppendLine("            internal KernelMaps(global::CSharpBpf.Linux.Loader.BpfObject obj) => _object = obj;");
        foreach (var m in c.Maps)
        {
            string type = KernelMapType(m), field = "_map_" + m.Name;
            string create = IsTyped(m) ? $"new {type}(_object.Map({Literal(m.Name)}))" : $"_object.Map({Literal(m.Name)})";
            sb.AppendLine();
            sb.Append("            private ").Append(type).Append("? ").Append(field).AppendLine(";");
            sb.Append("            /// <summary>").Append(m.MapType).Append(" map ").Append(Literal(m.Name)).Append(", ").Append(m.MaxEntries).AppendLine(" entries.</summary>");
            sb.Append("            public ").Append(type).Append(' ').Append(Identifier(m.Name)).Append(" => ").Append(field).Append(" ??= ").Append(create).AppendLine(";");
        }
        sb.AppendLine("        }");

        sb.AppendLine();
        sb.AppendLine("        /// <summary>The programs of this object in the kernel, each with the Attach of its kind.</summary>");
        sb.AppendLine("        public sealed class KernelPrograms");
        sb.AppendLine("        {");
        sb.AppendLine("            internal KernelPrograms(global::CSharpBpf.Linux.Loader.BpfObject obj)");
        sb.AppendLine("            {");
        foreach (var p in c.Programs)
        {
            string extra = IsExtension(p) ? ", " + Literal(ReplacedFunction(p)) : "";
            sb.Append("                ").Append(Identifier(p.Name)).Append(" = new ").Append(KernelHandle(p)).Append("(obj, ").Append(Literal(p.Name)).Append(extra).AppendLine(");");
        }
        sb.AppendLine("            }");
        foreach (var p in c.Programs)
        {
            sb.AppendLine();
            sb.Append("            /// <summary>").Append(p.Kind).Append(" program in section ").Append(Literal(p.Section)).AppendLine(".</summary>");
            sb.Append("            public ").Append(KernelHandle(p)).Append(' ').Append(Identifier(p.Name)).AppendLine(" { get; }");
        }
        sb.AppendLine("        }");
        sb.AppendLine("    }");
    }

    private static string Names(IReadOnlyList<ProgramDescription> programs) => string.Join(", ", programs.Select(p => p.Name));

    /// <summary>One attach as is; several as a <c>LinkGroup</c> (made in order, undone in reverse, all or nothing).</summary>
    private static string Group(IReadOnlyList<string> attaches) => attaches.Count == 1
        ? attaches[0]
        : "global::CSharpBpf.Linux.Skeleton.LinkGroup.Of(" + string.Join(", ", attaches.Select(a => "() => " + a)) + ")";
}
