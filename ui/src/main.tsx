// The window's script: the UI's code is loaded (FullCalendar is most of it); show the app.
import { mountApp } from "./app";
import { markStep } from "./startup";

markStep("script");
mountApp(document.getElementById("app")!);
