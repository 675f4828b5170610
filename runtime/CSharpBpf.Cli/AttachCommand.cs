using System;
using System.IO;
using CSharpBpf.Cli.Linux;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Cli;

/// <summary>
/// `csbpf attach FILE.o PROGRAM cgroup DIR [--multi|--override] | xdp IFNAME | raw_tp [TP] | tracing [--pin PATH]`:
/// loads the object and attaches one program; the attachment lasts until Ctrl-C, or is pinned.
/// </summary>
public sealed class AttachCommand : ICliCommand
{
    public string Name => "attach";
    public string Usage => "attach FILE.o PROGRAM (cgroup DIR [--multi|--override] | xdp IFNAME | raw_tp [NAME] | tracing) [--pin PATH]";

    public int Run(string[] args, TextWriter output, TextWriter error) => KernelVerb.Run(Name, error, () =>
    {
        var a = new CliArgs(args, "multi", "override");
        if (a.Positional.Count < 3) { error.WriteLine("usage: csbpf " + Usage); return 2; }
        using var obj = BpfObject.Load(a.Positional[0]);
        var prog = obj.Program(a.Positional[1]);
        string kind = a.Positional[2];
        string? target = a.Positional.Count > 3 ? a.Positional[3] : null;
        IDisposable attachment;
        BpfLink? link = null;
        switch (kind)
        {
            case "cgroup":
                if (target is null) throw new ArgumentException("cgroup needs the cgroup v2 directory");
                var type = prog.ExpectedAttachType != BpfAttachType.None ? prog.ExpectedAttachType
                    : throw new ArgumentException($"program '{prog.Name}' (section {prog.SectionName}) does not say which cgroup hook it is for");
                var flags = a.Has("override") ? CgroupAttachFlags.AllowOverride : a.Has("multi") ? CgroupAttachFlags.AllowMulti : CgroupAttachFlags.None;
                attachment = Attach.Cgroup(prog, target, type, flags);
                break;
            case "xdp":
                if (target is null) throw new ArgumentException("xdp needs an interface name");
                attachment = link = Attach.Xdp(prog, target);
                break;
            case "raw_tp":
                attachment = link = Attach.RawTracepoint(prog, target ?? prog.AttachTo);
                break;
            case "tracing":
                attachment = link = Attach.Tracing(prog);
                break;
            default:
                throw new ArgumentException($"unknown attach kind '{kind}' (cgroup, xdp, raw_tp, tracing)");
        }
        using (attachment)
        {
            output.WriteLine($"attached {prog.Name} ({prog.Type}) via {kind}{(target is null ? "" : " " + target)}");
            string? pin = a.Option("pin");
            if (pin is not null)
            {
                if (link is null) throw new ArgumentException("--pin applies to link attachments (xdp, raw_tp, tracing); cgroup attachments persist until detached");
                link.Pin(pin);
                output.WriteLine($"link pinned at {pin} (remove the file to detach)");
                return 0;
            }
            KernelVerb.WaitForExit(output);
        }
        return 0;
    });
}
