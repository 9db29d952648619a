package org.vfzone.system;


import org.springframework.web.bind.annotation.GetMapping;

@PageController
class LoginController {

    @GetMapping("/login")
    String login() {
        return "login";
    }

    /** Browsers and tools that ask for the classic icon get the SVG one. */
    @GetMapping("/favicon.ico")
    String favicon() {
        return "forward:/favicon.svg";
    }
}
